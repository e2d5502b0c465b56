#include "server/domain/sign_in_throttle.h"

#include "absl/strings/str_cat.h"

namespace reciprocity {

absl::Status SignInThrottle::Check(absl::string_view source) {
  absl::MutexLock lock(&mu_);
  Forget(clock_.Now());
  auto it = failures_by_source_.find(source);
  const bool source_over = it != failures_by_source_.end() &&
                           it->second >= options_.max_failures_per_source;
  const bool everyone_over =
      static_cast<int64_t>(failures_.size()) >= options_.max_failures_overall;
  if (!source_over && !everyone_over) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "Too many wrong codes. Wait ", absl::ToInt64Minutes(options_.window),
      " minutes and try again, or ask your officer."));
}

void SignInThrottle::RecordFailure(absl::string_view source) {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  Forget(now);
  // Calls checked at the same moment may all fail; the limits still hold
  // to within the number of calls in flight, and memory stays bounded.
  if (static_cast<int64_t>(failures_.size()) >=
      2 * int64_t{options_.max_failures_overall}) {
    return;
  }
  failures_.emplace_back(now, std::string(source));
  ++failures_by_source_[std::string(source)];
}

void SignInThrottle::Forget(absl::Time now) {
  while (!failures_.empty() &&
         failures_.front().first + options_.window <= now) {
    auto it = failures_by_source_.find(failures_.front().second);
    if (--it->second == 0) failures_by_source_.erase(it);
    failures_.pop_front();
  }
}

}  // namespace reciprocity
