// Page sizes and opaque keyset page tokens (AIP-158), for every listing.
#ifndef RECIPROCITY_SERVER_DOMAIN_PAGING_H_
#define RECIPROCITY_SERVER_DOMAIN_PAGING_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

inline constexpr int kDefaultListPageSize = 50;
inline constexpr int kMaxListPageSize = 1000;

// The number of rows to return: `default_size` for 0, at most `max_size`;
// INVALID_ARGUMENT when negative.
inline absl::StatusOr<int> PageLimit(int32_t page_size,
                                     int default_size = kDefaultListPageSize,
                                     int max_size = kMaxListPageSize) {
  if (page_size < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  return page_size == 0 ? default_size : std::min<int>(page_size, max_size);
}

// For a listing that always fits on one page: INVALID_ARGUMENT for any
// token.
inline absl::Status CheckSinglePage(absl::string_view page_token) {
  if (page_token.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "page_token: this listing fits on one page; send no token");
}

// Names one listing: its collection and filters (the request without its
// page fields), so that a token reused with other filters is refused rather
// than misread.
template <typename Request>
std::string ListingKind(absl::string_view collection, const Request& request) {
  Request filters = request;
  filters.clear_page_token();
  filters.clear_page_size();
  return absl::StrCat(collection, "-",
                      Sha256Hex(filters.SerializeAsString()).substr(0, 16));
}

// A token for "rows after `key`". `kind` tells listings apart, so a token
// from one listing is refused by another.
inline std::string KeyPageToken(absl::string_view kind, absl::string_view key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", key));
}

// The key inside a token ("" for the first page).
inline absl::StatusOr<std::string> ParseKeyPageToken(absl::string_view kind,
                                                     absl::string_view token) {
  if (token.empty()) return std::string();
  std::string decoded;
  absl::string_view rest;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    rest = decoded;
    if (absl::ConsumePrefix(&rest, kind) && absl::ConsumePrefix(&rest, ":") &&
        !rest.empty()) {
      return std::string(rest);
    }
  }
  return absl::InvalidArgumentError(
      "page_token: not a token this listing gave out");
}

inline absl::StatusOr<int64_t> ParseIdPageToken(absl::string_view kind,
                                                absl::string_view token) {
  auto key = ParseKeyPageToken(kind, token);
  if (!key.ok()) return key.status();
  if (key->empty()) return 0;
  int64_t id = 0;
  if (!absl::SimpleAtoi(*key, &id) || id <= 0) {
    return absl::InvalidArgumentError(
        "page_token: not a token this listing gave out");
  }
  return id;
}

// Reads one page on one snapshot: `list` gives at most `limit` rows in key
// order, `from_row` turns each into a message appended to `out`, and when the
// page is full `next_page_token` is set to continue after the last row's
// `key`.
template <typename Row, typename Message>
absl::Status ReadPage(
    store::Store& store, int limit, absl::string_view kind,
    const std::function<
        absl::StatusOr<std::vector<Row>>(store::ReadTransaction&)>& list,
    const std::function<absl::StatusOr<Message>(const Row&)>& from_row,
    const std::function<std::string(const Row&)>& key,
    google::protobuf::RepeatedPtrField<Message>* out,
    std::string* next_page_token) {
  return store.Read([&](store::ReadTransaction& tx) -> absl::Status {
    auto rows = list(tx);
    if (!rows.ok()) return rows.status();
    for (const Row& row : *rows) {
      auto message = from_row(row);
      if (!message.ok()) return message.status();
      *out->Add() = *std::move(message);
    }
    if (static_cast<int>(rows->size()) == limit) {
      *next_page_token = KeyPageToken(kind, key(rows->back()));
    }
    return absl::OkStatus();
  });
}

// The key of rows with an integer id.
template <typename Row>
std::string IdKey(const Row& row) {
  return absl::StrCat(row.id);
}

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_PAGING_H_
