#include "server/rpc/watchdog.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "base/logging.h"

namespace reciprocity {

std::unique_ptr<Watchdog> Watchdog::StartIfAsked(
    std::function<bool()> healthy) {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(/*unset_environment=*/0, &usec) <= 0 || usec == 0) {
    return nullptr;
  }
  return std::unique_ptr<Watchdog>(new Watchdog(
      std::move(healthy), absl::Microseconds(static_cast<int64_t>(usec))));
}

Watchdog::Watchdog(std::function<bool()> healthy, absl::Duration interval)
    : healthy_(std::move(healthy)), interval_(interval) {
  LogInfo("watchdog_started",
          {{"interval_ms", absl::StrCat(absl::ToInt64Milliseconds(interval))}});
  thread_ = std::thread([this] { Run(); });
}

Watchdog::~Watchdog() {
  stop_.Notify();
  thread_.join();
}

void Watchdog::Run() {
  bool was_healthy = true;
  do {
    const bool healthy = healthy_();
    if (healthy) {
      sd_notify(0, "WATCHDOG=1");
    } else if (was_healthy) {
      // Said once per episode: systemd restarts the service if it lasts.
      LogError("watchdog_health_check_failed",
               {{"detail", "not telling systemd we are alive"}});
    }
    was_healthy = healthy;
  } while (!stop_.WaitForNotificationWithTimeout(interval_ / 3));
}

void NotifyReady() { sd_notify(0, "READY=1"); }
void NotifyStopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace reciprocity
