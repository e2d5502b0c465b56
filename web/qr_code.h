// QR codes for sign-in letters, drawn as SVG (libqrencode).
#ifndef RECIPROCITY_WEB_QR_CODE_H_
#define RECIPROCITY_WEB_QR_CODE_H_

#include <string>

namespace reciprocity::web {

// An SVG image of `text` as a QR code, base64-encoded for a data: URL; ""
// when it cannot be encoded.
std::string QrCodeSvgBase64(const std::string& text);

}  // namespace reciprocity::web

#endif  // RECIPROCITY_WEB_QR_CODE_H_
