#include "text/tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace redress::text {
namespace {

// Normalizer2 instances are process-wide singletons owned by ICU (never
// deleted by us) and are thread-safe for normalize().
const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU: no NFKC_Casefold data");
    return n;
  }();
  return *instance;
}

const icu::Normalizer2& nfd() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU: no NFD data");
    return n;
  }();
  return *instance;
}

const icu::Normalizer2& nfc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU: no NFC data");
    return n;
  }();
  return *instance;
}

// One word break iterator per thread: creating one costs tens of
// microseconds (rule data lookup), setText() on an existing one is cheap.
icu::BreakIterator& word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !b) throw std::runtime_error("ICU: no word break rules");
    return b;
  }();
  return *it;
}

icu::UnicodeString normal_form(const icu::UnicodeString& source, TokenizeOptions options) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString folded = nfkc_casefold().normalize(source, status);
  if (U_FAILURE(status)) return source;
  if (options.accents == Accents::keep) return folded;

  icu::UnicodeString decomposed = nfd().normalize(folded, status);
  if (U_FAILURE(status)) return folded;
  icu::UnicodeString stripped;
  stripped.getBuffer(decomposed.length());  // reserve
  stripped.releaseBuffer(0);
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    // Letters with a stroke have no canonical decomposition but are the
    // accented form of a base letter for a reader (Vietnamese đ, Polish ł,
    // Danish ø).
    switch (c) {
      case 0x0111:
        stripped.append(static_cast<UChar>(u'd'));
        break;  // đ
      case 0x0142:
        stripped.append(static_cast<UChar>(u'l'));
        break;  // ł
      case 0x00F8:
        stripped.append(static_cast<UChar>(u'o'));
        break;  // ø
      default:
        stripped.append(c);
    }
  }
  icu::UnicodeString composed = nfc().normalize(stripped, status);
  if (U_FAILURE(status)) return stripped;
  return composed;
}

icu::UnicodeString normal_form(std::string_view utf8, TokenizeOptions options) {
  return normal_form(icu::UnicodeString::fromUTF8(
                         icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
                     options);
}

// Scripts written without spaces between words, tokenized as bigrams.
bool is_cjk(UChar32 c) {
  if (c == 0x30FC || c == 0x3005) return true;  // ー prolonged sound mark, 々 iteration mark
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_HANGUL;
}

std::string utf8_of(const icu::UnicodeString& text, int32_t start, int32_t end) {
  std::string term;
  text.tempSubStringBetween(start, end).toUTF8String(term);
  return term;
}

// Emits the bigrams of the CJK run [start, end) of `text` (UTF-16 offsets).
template <typename Emit>
void emit_cjk_run(const icu::UnicodeString& text, int32_t start, int32_t end, Emit& emit) {
  if (start >= end) return;
  int32_t first = start;
  int32_t second = text.moveIndex32(first, 1);
  if (second >= end) {
    emit(first, end);
    return;
  }
  while (second < end) {
    const int32_t after = text.moveIndex32(second, 1);
    emit(first, after);
    first = second;
    second = after;
  }
}

// Calls emit(start, end) with the UTF-16 range of every term of the
// normalised `text`, in text order (steps 3 and 4 of tokenize.h).
template <typename Emit>
void walk_terms(const icu::UnicodeString& text, Emit emit) {
  icu::BreakIterator& words = word_iterator();
  words.setText(text);

  // A CJK run may span several ICU segments (ICU's dictionary splits Chinese
  // into words); it is closed by a non-word segment or a non-CJK character.
  int32_t run_start = -1;
  int32_t run_end = -1;
  auto close_run = [&] {
    if (run_start >= 0) emit_cjk_run(text, run_start, run_end, emit);
    run_start = -1;
  };

  int32_t start = words.first();
  for (int32_t end = words.next(); end != icu::BreakIterator::DONE;
       start = end, end = words.next()) {
    if (words.getRuleStatus() == UBRK_WORD_NONE) {
      close_run();
      continue;
    }
    // Split the segment into CJK and non-CJK stretches (ICU keeps e.g.
    // "abc退款" together only rarely, but "ｶﾀｶﾅ123" style mixes occur).
    int32_t piece_start = start;
    for (int32_t i = start; i < end;) {
      const UChar32 c = text.char32At(i);
      const int32_t next = i + U16_LENGTH(c);
      if (is_cjk(c)) {
        if (piece_start < i) {
          close_run();
          emit(piece_start, i);
        }
        if (run_start < 0) run_start = i;
        run_end = next;
        piece_start = next;
      }
      i = next;
    }
    if (piece_start < end) {
      close_run();
      emit(piece_start, end);
    }
  }
  close_run();
}

}  // namespace

std::string_view utf8_prefix(std::string_view utf8, std::size_t max_bytes) {
  if (max_bytes == 0 || utf8.size() <= max_bytes) return utf8;
  std::size_t cut = max_bytes;
  // Back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80) --cut;
  return utf8.substr(0, cut);
}

std::string normalize(std::string_view utf8, TokenizeOptions options) {
  std::string out;
  normal_form(utf8, options).toUTF8String(out);
  return out;
}

void tokenize_into(std::string_view utf8, std::vector<std::string>& out, TokenizeOptions options) {
  const icu::UnicodeString text = normal_form(utf8, options);
  walk_terms(text, [&](int32_t start, int32_t end) { out.push_back(utf8_of(text, start, end)); });
}

std::vector<TermSpan> tokenize_spans(std::string_view utf8, TokenizeOptions options) {
  // Normalise chunk by chunk, cutting before every code point that has a
  // normalisation boundary before it whatever follows (so the chunks
  // normalise as the whole would), and remember where each chunk came from.
  struct Chunk {
    int32_t normal_start;    // UTF-16 offset in `text`
    std::size_t begin, end;  // byte range in `utf8`
  };
  std::vector<Chunk> chunks;
  icu::UnicodeString text;
  icu::UnicodeString piece;
  const icu::Normalizer2& casefold = nfkc_casefold();
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  int32_t chunk_begin = 0;
  auto flush = [&](int32_t chunk_end) {
    if (piece.isEmpty()) return;
    chunks.push_back(Chunk{text.length(), static_cast<std::size_t>(chunk_begin),
                           static_cast<std::size_t>(chunk_end)});
    const UChar only = piece.length() == 1 ? piece.charAt(0) : 0;
    if (only != 0 && only < 0x80) {
      // ASCII fast path: folding is lower-casing, accents do not apply.
      text.append(static_cast<UChar>(only >= u'A' && only <= u'Z' ? only + 32 : only));
    } else {
      text.append(normal_form(piece, options));
    }
    piece.remove();
    chunk_begin = chunk_end;
  };
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;
    if (casefold.hasBoundaryBefore(c)) flush(at);
    piece.append(c);
  }
  flush(length);

  std::vector<TermSpan> out;
  auto chunk_of = [&](int32_t normal_offset) {
    auto it =
        std::upper_bound(chunks.begin(), chunks.end(), normal_offset,
                         [](int32_t offset, const Chunk& c) { return offset < c.normal_start; });
    return std::prev(it);  // chunks[0].normal_start is 0 and offset >= 0
  };
  walk_terms(text, [&](int32_t start, int32_t end) {
    out.push_back(
        TermSpan{utf8_of(text, start, end), chunk_of(start)->begin, chunk_of(end - 1)->end});
  });
  return out;
}

std::string fold_accents(std::string_view term) {
  return normalize(term, TokenizeOptions{.accents = Accents::fold});
}

std::vector<std::string> tokenize(std::string_view utf8, TokenizeOptions options) {
  std::vector<std::string> out;
  tokenize_into(utf8, out, options);
  return out;
}

}  // namespace redress::text
