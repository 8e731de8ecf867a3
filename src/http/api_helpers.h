// Small helpers shared by the route files (api*.cpp): building answers and
// reading path parameters (request bodies: requests.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/complaints.h"
#include "http/json_io.h"
#include "http/message.h"
#include "http/requests.h"

namespace redress::http {

// A JSON answer with `status`.
Response json_response(int status, const Json& body);

// The answer for a body that could not be read: 400 when the body itself is
// not a JSON object, else the error's own problem.
Response body_problem(const Error& e);

// An optional query parameter of an OpenAPI operation: name, JSON schema type
// ("string", "integer", "boolean") and what it does.
Json openapi_query_parameter(const char* name, const char* type, const char* description);

// Appends the query parameters of the lessons-library routes (GET
// /api/v1/lessons and /api/v1/improvement-actions, api_lessons.cpp) to an
// OpenAPI operation's `parameters`; nothing for other routes.
void document_lesson_route(const std::string& method, const std::string& pattern, Json& parameters);

// Appends the query parameters of GET /api/v1/notifications
// (api_notifications.cpp) to an OpenAPI operation's `parameters`; nothing for
// other routes.
void document_notification_route(const std::string& method, const std::string& pattern,
                                 Json& parameters);

// The positive integer path parameter `name`; nullopt when absent or not a number.
std::optional<std::int64_t> number_param(const Request& r, std::string_view name);

}  // namespace redress::http
