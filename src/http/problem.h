// The one place where errors become HTTP: ErrorCode → status, and the
// RFC 9457 application/problem+json body naming each invalid field.
#pragma once

#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace redress::http {

// The HTTP status for an error code.
int status_for(ErrorCode code);

// A problem+json response for `error`.
Response problem(const Error& error);

// A problem+json response for a status the server itself decided (404, 405,
// 413, 400 before any handler ran).
Response problem(int status, std::string_view detail);

}  // namespace redress::http
