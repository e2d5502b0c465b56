// The spend report's chart: spend by month as SVG bars.
#include "client/spend_chart.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_format.h"
#include "client/output.h"

namespace reciprocity::client {
namespace {

std::string XmlEscape(const std::string& v) {
  std::string out;
  for (char c : v) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string SpendChartSvg(const v1::SpendReport& r) {
  constexpr int kWidth = 720, kHeight = 360, kLeft = 70, kBottom = 40,
                kTop = 50;
  // The shortest bar a month with any spend gets, in pixels.
  constexpr int kMinBarHeight = 2;
  const int plot_h = kHeight - kBottom - kTop;
  const int64_t monthly_budget = r.total_budget_pence() / 12;
  int64_t top = std::max<int64_t>(monthly_budget, 1);
  for (const auto& m : r.by_month()) top = std::max(top, m.amount_pence());
  const int n = std::max(1, r.by_month_size());
  const int slot = (kWidth - kLeft - 20) / n;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title>Spend by month, %s to %s</title>\n"
      "<defs><pattern id=\"vouchers\" width=\"6\" height=\"6\" "
      "patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" "
      "fill=\"#ff7f0e\"/><path d=\"M0 6L6 0\" stroke=\"black\" "
      "stroke-width=\"1\"/></pattern></defs>\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      "<text x=\"%d\" y=\"24\" font-size=\"16\">Spend by month, %s to %s "
      "(total %s of budget %s)</text>\n",
      kWidth, kHeight, kWidth, kHeight, r.financial_year_start(),
      r.financial_year_end(), kLeft, r.financial_year_start(),
      r.financial_year_end(), XmlEscape(Pounds(r.total_committed_pence())),
      XmlEscape(Pounds(r.total_budget_pence())));
  const int base = kHeight - kBottom;
  absl::StrAppendFormat(&svg,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"black\"/>\n",
                        kLeft, base, kWidth - 10, base);
  absl::StrAppendFormat(
      &svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
      kLeft - 6, kTop + 4, XmlEscape(Pounds(top)));
  absl::StrAppendFormat(
      &svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">£0</text>\n",
      kLeft - 6, base);
  // Scaled against a large budget, a small amount rounds down to nothing
  // and would read as none at all.
  auto height = [&](int64_t pence) {
    const int h = static_cast<int>(pence * plot_h / top);
    return pence > 0 ? std::max(h, kMinBarHeight) : h;
  };
  std::map<std::string, int64_t> vouchers;
  for (const auto& v : r.vouchers_by_month()) {
    vouchers[v.key()] = v.amount_pence();
  }
  for (int i = 0; i < r.by_month_size(); ++i) {
    const auto& m = r.by_month(i);
    const int h = height(m.amount_pence());
    const int x = kLeft + i * slot + slot / 6;
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
        "fill=\"#1f77b4\"><title>%s: %s</title></rect>\n"
        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
        x, base - h, slot * 2 / 3, h, m.key(),
        XmlEscape(Pounds(m.amount_pence())), x + slot / 3, base + 16,
        m.key().substr(2));
    // The vouchers' part of the month, from the bottom of its bar, hatched
    // as well as coloured so it reads without colour too.
    const int64_t voucher_pence = vouchers[m.key()];
    if (voucher_pence > 0) {
      const int vh = std::min(height(voucher_pence), h);
      absl::StrAppendFormat(
          &svg,
          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
          "fill=\"url(#vouchers)\"><title>%s vouchers: %s</title></rect>\n",
          x, base - vh, slot * 2 / 3, vh, m.key(),
          XmlEscape(Pounds(voucher_pence)));
    }
  }
  if (r.total_voucher_pence() > 0) {
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" "
        "fill=\"url(#vouchers)\"/>\n<text x=\"%d\" y=\"40\">vouchers "
        "earned by attending: %s of the total</text>\n",
        kLeft, kLeft + 18, XmlEscape(Pounds(r.total_voucher_pence())));
  }
  if (monthly_budget > 0) {
    const int y = base - static_cast<int>(monthly_budget * plot_h / top);
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d62728\" "
        "stroke-dasharray=\"6 4\"/>\n<text x=\"%d\" y=\"%d\" "
        "fill=\"#d62728\" text-anchor=\"end\">budget per month %s</text>\n",
        kLeft, y, kWidth - 10, y, kWidth - 10, y - 4,
        XmlEscape(Pounds(monthly_budget)));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace reciprocity::client
