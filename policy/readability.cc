#include "policy/explain.h"

namespace reciprocity::policy {

double FleschReadingEase(std::string_view text) { return 0.0; }
double WordsPerSentence(std::string_view text) { return 0.0; }

}  // namespace reciprocity::policy
