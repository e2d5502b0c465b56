// The plain-English leaflet for a service area: what it pays for, how much,
// to whom, and what needs agreeing first.
#ifndef RECIPROCITY_POLICY_EXPLAIN_H_
#define RECIPROCITY_POLICY_EXPLAIN_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "policy/policy.h"

namespace reciprocity::policy {

// The leaflet for the area's rules in force on `as_of`; for one project when
// `project_id` is set (its overrides applied), else for every project.
// Plain text, short sentences, everyday words, money in pounds.
std::string ExplainPolicy(const AreaPolicy& policy,
                          std::optional<std::string_view> project_id,
                          absl::CivilDay as_of);

// The Flesch reading ease of English text: 206.835 - 1.015 * (words per
// sentence) - 84.6 * (syllables per word). 60-70 is plain English; higher is
// easier. Syllables are estimated from vowel groups; a number counts one
// syllable per digit. Lines ending without punctuation (headings, list
// items) count as sentences.
double FleschReadingEase(std::string_view text);

// Average words per sentence, counted as FleschReadingEase counts them.
double WordsPerSentence(std::string_view text);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_EXPLAIN_H_
