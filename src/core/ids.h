// Strong identifier types: a ComplaintId cannot be passed where a UserId is
// expected. Values are the store's integer keys; 0 is never a valid id.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace redress {

template <class Tag>
struct Id {
  std::int64_t value = 0;
  constexpr explicit operator bool() const { return value != 0; }
  friend constexpr auto operator<=>(Id, Id) = default;
};

struct ComplaintTag;
struct CustomerTag;
struct UserTag;
struct DepartmentTag;

using ComplaintId = Id<ComplaintTag>;
using CustomerId = Id<CustomerTag>;
using UserId = Id<UserTag>;
using DepartmentId = Id<DepartmentTag>;

}  // namespace redress

template <class Tag>
struct std::hash<redress::Id<Tag>> {
  std::size_t operator()(redress::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
