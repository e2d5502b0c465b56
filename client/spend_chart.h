// The spend report drawn as a chart for people (recip report spend --svg).
#ifndef RECIPROCITY_CLIENT_SPEND_CHART_H_
#define RECIPROCITY_CLIENT_SPEND_CHART_H_

#include <string>

#include "reciprocity/v1/finance.pb.h"

namespace reciprocity::client {

// A standalone SVG document: spend by month as bars, one per row of
// `report.by_month()`, with the year's budget spread evenly over twelve
// months as a dashed line for comparison. Each month's attendance
// vouchers (`report.vouchers_by_month()`) are drawn hatched at the bottom of
// its bar, with a key saying what they come to.
std::string SpendChartSvg(const v1::SpendReport& report);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_SPEND_CHART_H_
