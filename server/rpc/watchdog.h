// Tells systemd how the service is (sd_notify): ready once it serves,
// stopping when it shuts down, and, when the unit sets WatchdogSec=, alive
// only while a real health call answers. If the check fails for longer
// than WatchdogSec, systemd kills the process and Restart= starts it again:
// a server that is up but deaf does not stay that way.
#ifndef RECIPROCITY_SERVER_RPC_WATCHDOG_H_
#define RECIPROCITY_SERVER_RPC_WATCHDOG_H_

#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace reciprocity {

class Watchdog {
 public:
  // Returns null when systemd did not ask for a watchdog (no WATCHDOG_USEC
  // for this process). `healthy` is called from the watchdog's thread at a
  // third of the interval; it must not block for longer than that.
  static std::unique_ptr<Watchdog> StartIfAsked(std::function<bool()> healthy);

  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  absl::Duration interval() const { return interval_; }

 private:
  Watchdog(std::function<bool()> healthy, absl::Duration interval);
  void Run();

  std::function<bool()> healthy_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

// READY=1 and STOPPING=1; no-ops when not run by systemd (Type=notify).
void NotifyReady();
void NotifyStopping();

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_WATCHDOG_H_
