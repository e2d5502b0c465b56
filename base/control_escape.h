// One way to show a control character as text, shared by the service's log
// lines and recip's terminal output, so that neither can be steered by the
// text it prints.
#ifndef RECIPROCITY_BASE_CONTROL_ESCAPE_H_
#define RECIPROCITY_BASE_CONTROL_ESCAPE_H_

#include <string>

namespace reciprocity {

// Appends how a control byte is shown to a person rather than obeyed:
// "\n", "\r", "\t", or "\x1b" for the rest. Shared by the server's log
// lines and recip's terminal output.
void AppendControlEscape(std::string& out, unsigned char c);

}  // namespace reciprocity

#endif  // RECIPROCITY_BASE_CONTROL_ESCAPE_H_
