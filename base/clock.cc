#include "base/clock.h"

namespace reciprocity {

const absl::TimeZone& LondonTimeZone() {
  static const absl::TimeZone* const kZone = [] {
    auto* zone = new absl::TimeZone();
    if (!absl::LoadTimeZone("Europe/London", zone)) *zone = absl::UTCTimeZone();
    return zone;
  }();
  return *kZone;
}

absl::CivilDay Clock::TodayInLondon() const {
  return absl::ToCivilDay(Now(), LondonTimeZone());
}

}  // namespace reciprocity
