// Flesch reading ease, for checking that leaflets and reasons are plain.
#include <cctype>
#include <string>
#include <vector>

#include "policy/explain.h"

namespace reciprocity::policy {
namespace {

struct Counts {
  int64_t sentences = 0;
  int64_t words = 0;
  int64_t syllables = 0;
};

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// A word's letters in lower case; "è" and "é" read as "e", other non-ASCII
// bytes are dropped.
std::string Letters(std::string_view token) {
  std::string letters;
  for (size_t i = 0; i < token.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(token[i]);
    if (c == 0xC3 && i + 1 < token.size() &&
        (token[i + 1] == '\xA8' || token[i + 1] == '\xA9')) {
      letters.push_back('e');
      ++i;
    } else if (std::isalpha(c) && c < 0x80) {
      letters.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  return letters;
}

// Vowel groups, less a silent final "e" and the "-es"/"-ed" that add no
// syllable; at least one.
int64_t Syllables(const std::string& word) {
  if (word.size() <= 3) return 1;
  std::string stem = word;
  const auto ends_with = [&](std::string_view suffix) {
    return stem.size() > suffix.size() &&
           stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  if ((ends_with("es") || ends_with("ed")) && !IsVowel(stem[stem.size() - 3]) &&
      stem[stem.size() - 3] != 't' && stem[stem.size() - 3] != 'd' &&
      stem[stem.size() - 3] != 's') {
    stem.resize(stem.size() - 2);
  } else if (ends_with("e") && !ends_with("le")) {
    stem.resize(stem.size() - 1);
  }
  int64_t groups = 0;
  bool in_vowels = false;
  for (char c : stem) {
    const bool vowel = IsVowel(c);
    if (vowel && !in_vowels) ++groups;
    in_vowels = vowel;
  }
  return groups < 1 ? 1 : groups;
}

Counts Count(std::string_view text) {
  Counts counts;
  int64_t words_in_sentence = 0;
  const auto end_sentence = [&] {
    if (words_in_sentence > 0) ++counts.sentences;
    words_in_sentence = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') {
      end_sentence();  // A heading or list item ends at its line.
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           !std::isspace(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    const std::string_view token = text.substr(i, end - i);
    i = end;
    int64_t digits = 0;
    for (char c : token) digits += std::isdigit(static_cast<unsigned char>(c));
    const std::string letters = Letters(token);
    if (letters.empty() && digits == 0) continue;  // "-", "=", "£"
    ++counts.words;
    ++words_in_sentence;
    // A number reads as about one syllable a digit ("£60": "sixty pounds").
    counts.syllables += letters.empty() || digits > 0
                            ? std::min<int64_t>(std::max<int64_t>(digits, 1), 4)
                            : Syllables(letters);
    const char last = token.back();
    if (last == '.' || last == '!' || last == '?' || last == ':') {
      end_sentence();
    }
  }
  end_sentence();
  return counts;
}

}  // namespace

double FleschReadingEase(std::string_view text) {
  const Counts counts = Count(text);
  if (counts.words == 0 || counts.sentences == 0) return 0.0;
  return 206.835 -
         1.015 * static_cast<double>(counts.words) /
             static_cast<double>(counts.sentences) -
         84.6 * static_cast<double>(counts.syllables) /
             static_cast<double>(counts.words);
}

double WordsPerSentence(std::string_view text) {
  const Counts counts = Count(text);
  if (counts.sentences == 0) return 0.0;
  return static_cast<double>(counts.words) /
         static_cast<double>(counts.sentences);
}

}  // namespace reciprocity::policy
