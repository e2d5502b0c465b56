#include "server/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace reciprocity {
namespace {

std::string FormatValue(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.9g", value);
}

std::string EscapeLabelValue(absl::string_view value) {
  return absl::StrReplaceAll(value,
                             {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

void AppendSampleText(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    absl::string_view value) {
  absl::StrAppend(&out, name);
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      absl::StrAppend(&out, i ? "," : "", labels[i].first, "=\"",
                      EscapeLabelValue(labels[i].second), "\"");
    }
    out += '}';
  }
  absl::StrAppend(&out, " ", value, "\n");
}

}  // namespace

const std::vector<double>& Metrics::LatencyBuckets() {
  static const std::vector<double> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

void Metrics::RecordRpc(absl::string_view method, absl::StatusCode code,
                        absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  const auto& bounds = LatencyBuckets();
  absl::MutexLock lock(&mu_);
  RpcStats& stats = rpcs_[std::string(method)];
  if (stats.bucket_counts.empty()) stats.bucket_counts.assign(bounds.size(), 0);
  ++stats.calls_by_code[absl::StatusCodeToString(code)];
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      ++stats.bucket_counts[i];
      break;
    }
  }
  stats.sum_seconds += seconds;
  ++stats.count;
}

void Metrics::AddCollector(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<Collector> collectors;
  {
    absl::MutexLock lock(&mu_);
    AppendMetricHeader(out, "reciprocity_rpc_requests_total", "counter",
                       "Finished RPCs by method and status code.");
    for (const auto& [method, stats] : rpcs_) {
      for (const auto& [code, calls] : stats.calls_by_code) {
        AppendSample(out, "reciprocity_rpc_requests_total",
                     {{"method", method}, {"code", code}},
                     static_cast<double>(calls));
      }
    }
    AppendMetricHeader(out, "reciprocity_rpc_duration_seconds", "histogram",
                       "Time from receiving an RPC to answering it.");
    const auto& bounds = LatencyBuckets();
    for (const auto& [method, stats] : rpcs_) {
      int64_t cumulative = 0;
      for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += stats.bucket_counts[i];
        AppendSample(out, "reciprocity_rpc_duration_seconds_bucket",
                     {{"method", method}, {"le", FormatValue(bounds[i])}},
                     static_cast<double>(cumulative));
      }
      AppendSample(out, "reciprocity_rpc_duration_seconds_bucket",
                   {{"method", method}, {"le", "+Inf"}},
                   static_cast<double>(stats.count));
      AppendSample(out, "reciprocity_rpc_duration_seconds_sum",
                   {{"method", method}}, stats.sum_seconds);
      AppendSample(out, "reciprocity_rpc_duration_seconds_count",
                   {{"method", method}}, static_cast<double>(stats.count));
    }
    collectors = collectors_;
  }
  // Collectors may read the database: run them without holding mu_.
  for (const Collector& collect : collectors) collect(out);
  return out;
}

void AppendMetricHeader(std::string& out, absl::string_view name,
                        absl::string_view type, absl::string_view help) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
}

void AppendSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    double value) {
  AppendSampleText(out, name, labels, FormatValue(value));
}

void AppendIntegerSample(
    std::string& out, absl::string_view name,
    const std::vector<std::pair<absl::string_view, std::string>>& labels,
    int64_t value) {
  AppendSampleText(out, name, labels, absl::StrCat(value));
}

}  // namespace reciprocity
