// The one way time enters the server, so tests can fix "today".
#ifndef RECIPROCITY_BASE_CLOCK_H_
#define RECIPROCITY_BASE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace reciprocity {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  // Today's calendar date in Europe/London (the council's time zone).
  absl::CivilDay TodayInLondon() const;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that says what the test tells it to.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(absl::Time now) : now_(now) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// Europe/London from the system's zoneinfo, or UTC if it is missing.
const absl::TimeZone& LondonTimeZone();

}  // namespace reciprocity

#endif  // RECIPROCITY_BASE_CLOCK_H_
