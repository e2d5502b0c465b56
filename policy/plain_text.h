// Words and numbers for people: the building blocks of the plain-English
// reasons and leaflets. FormatMoney itself is declared in policy.h.
#ifndef RECIPROCITY_POLICY_PLAIN_TEXT_H_
#define RECIPROCITY_POLICY_PLAIN_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "reciprocity/v1/types.pb.h"

namespace reciprocity::policy {

// Debian's Abseil has its own string_view type; this bridges the two.
inline absl::string_view AsAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// Tenths of a mile for people: 120 -> "12 miles", 123 -> "12.3 miles",
// 10 -> "1 mile".
std::string FormatMiles(int64_t tenths);

// Minutes for people: 180 -> "3 hours", 90 -> "1 hour 30 minutes",
// 45 -> "45 minutes".
std::string FormatDuration(int64_t minutes);

// "1 child", "3 children"; "1 passenger", "2 passengers".
std::string CountOf(int64_t count, const char* one, const char* many);

// A vehicle in a sentence: "a car", "a motorcycle", "a bicycle".
std::string VehicleWithArticle(v1::VehicleType vehicle);

// A participant type in a sentence, plural: "residents", "parents and
// carers", "people who come for an organisation", "staff".
std::string ParticipantTypePlural(v1::ParticipantType type);

// The kind of cost for people: "bus and train fares", "taxis", ...
std::string CategoryPlural(v1::ExpenseCategory category);

// Joins with commas and "and": {"a", "b", "c"} -> "a, b and c".
std::string JoinWithAnd(const std::vector<std::string>& items);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_PLAIN_TEXT_H_
