// Metrics in the Prometheus text exposition format (version 0.0.4): calls
// and latency per RPC, recorded as they finish, plus families computed when
// scraped (claims by state, rule-file versions, batch totals) by collectors.
#ifndef RECIPROCITY_SERVER_RPC_METRICS_H_
#define RECIPROCITY_SERVER_RPC_METRICS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/histogram.h"

namespace reciprocity {

// Thread-safe.
class Metrics {
 public:
  // Appends whole metric families (HELP, TYPE and samples) to `out`. Called
  // on every scrape, from the HTTP thread.
  using Collector = std::function<void(std::string& out)>;

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one finished call to `method` ("/pkg.Service/Method").
  void RecordRpc(absl::string_view method, absl::StatusCode code,
                 absl::Duration latency);

  // Adds a family computed at scrape time (claims and batches by state, rule
  // files in force, ...).
  void AddCollector(Collector collector);

  // Everything, in the text exposition format.
  std::string Render() const;

  // Upper bounds of the latency histogram buckets, in seconds (+Inf is
  // implied).
  static const std::vector<double>& LatencyBuckets();

 private:
  struct RpcStats {
    std::map<std::string, int64_t> calls_by_code;
    Histogram seconds{LatencyBuckets()};
  };
  mutable absl::Mutex mu_;
  std::map<std::string, RpcStats> rpcs_ ABSL_GUARDED_BY(mu_);
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
};

// Helpers for collectors.
// "# HELP name help\n# TYPE name type\n".
void AppendMetricHeader(std::string& out, absl::string_view name,
                        absl::string_view type, absl::string_view help);
// name{label="value",...} value\n, with label values escaped.
void AppendSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    double value);
// The same for a count or an amount of money: printed exactly, never
// through a double.
void AppendIntegerSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    int64_t value);
// A histogram family's samples: name_bucket (cumulative, with le, ending at
// +Inf), name_sum and name_count, each with `labels`.
void AppendHistogram(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    const Histogram& histogram);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_METRICS_H_
