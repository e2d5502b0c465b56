#include "web/qr_code.h"

#include <qrencode.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace reciprocity::web {

std::string QrCodeSvgBase64(const std::string& text) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8,
                                     /*casesensitive=*/1);
  if (code == nullptr) return "";
  const int quiet = 4;
  const int size = code->width + 2 * quiet;
  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", size, " ",
      size, "\" shape-rendering=\"crispEdges\"><rect width=\"", size,
      "\" height=\"", size, "\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        absl::StrAppend(&svg, "M", x + quiet, " ", y + quiet, "h1v1h-1z");
      }
    }
  }
  svg += "\"/></svg>";
  QRcode_free(code);
  return absl::Base64Escape(svg);
}

}  // namespace reciprocity::web
