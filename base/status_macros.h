// Two small macros Abseil 20220623 lacks.
#ifndef RECIPROCITY_BASE_STATUS_MACROS_H_
#define RECIPROCITY_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the current function if `expr` (an absl::Status) is not OK.
#define RECIP_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status recip_status_ = (expr);         \
    if (!recip_status_.ok()) return recip_status_; \
  } while (0)

#define RECIP_CONCAT_INNER_(a, b) a##b
#define RECIP_CONCAT_(a, b) RECIP_CONCAT_INNER_(a, b)

// `lhs = value of expr` (an absl::StatusOr<T>), or return its status.
#define RECIP_ASSIGN_OR_RETURN(lhs, expr)                                     \
  RECIP_ASSIGN_OR_RETURN_IMPL_(RECIP_CONCAT_(recip_statusor_, __LINE__), lhs, \
                               expr)
#define RECIP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#endif  // RECIPROCITY_BASE_STATUS_MACROS_H_
