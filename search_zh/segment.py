"""Chinese word segmentation shared by the index and the queries.

Indexed text is cut with jieba in search mode: the words of the best
segmentation plus every shorter dictionary word inside them (特别保障措施 →
特别, 保障, 措施, 保障措施, 特别保障措施), so a document holding 特别保障措施 is
found by 保障措施 too. jieba's own `cut_for_search` only adds the two- and
three-character words inside a word; we add every dictionary sub-word. A
query is cut in the precise mode (its best segmentation only): each of its
words must be in the document, and the document side already holds every
sub-word. The hidden Markov model for unknown words is off on both sides:
what is not in the dictionary falls apart into single characters, the same
way in a document and in a query, so the two sides agree. The domain dictionary (search_zh/dictionary.txt)
keeps the trade terms whole (特别保障措施, 337调查, TBT通报, country names).

Punctuation never reaches the index and stop words (的, 和, the …) are dropped
on both sides. A query word that is a single Chinese character is matched as a
prefix, so 经济联 finds 经济联络处.
"""

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import jieba
from wagtail.rich_text import get_text_for_indexing

DICTIONARY = Path(__file__).with_name("dictionary.txt")

STOP_WORDS = frozenset(
    "的 了 和 与 及 或 是 在 对 于 等 为 将 把 被 也 就 都 而 之 其 这 那 有 个 以 及其 以及 并 从 向 由 所 "
    "a an the of and or to in on for by with is are be".split()
)

# Anything that is not a letter, digit or CJK character separates words.
NON_WORD = re.compile(r"[\W_]+")
CJK_CHAR = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]$")

_tokenizer = None
_lock = threading.Lock()


def tokenizer():
    """The jieba tokenizer with the domain dictionary loaded (once per process)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                cutter = jieba.Tokenizer()
                for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
                    line = line.strip()
                    if line and not line.startswith("#"):
                        word, _, freq = line.partition(" ")
                        cutter.add_word(word.lower(), int(freq) if freq else None)
                _tokenizer = cutter
    return _tokenizer


def _sub_words(cutter, word):
    """Every dictionary word strictly inside `word`, shortest first."""
    for size in range(2, len(word)):
        for start in range(len(word) - size + 1):
            part = word[start : start + size]
            if cutter.FREQ.get(part):
                yield part


def words(text, search_mode=True):
    """The searchable words of `text`, in order: lower-cased, no punctuation, no stop words.

    `search_mode` (the index) adds the dictionary words inside each word;
    without it (a query) only the best segmentation is returned.
    """
    text = NON_WORD.sub(" ", (text or "").lower())
    cutter = tokenizer()
    result = []
    for token in cutter.cut(text, HMM=False):
        token = token.strip()
        if not token or token in STOP_WORDS:
            continue
        if search_mode and len(token) > 2:
            result.extend(part for part in _sub_words(cutter, token) if part not in STOP_WORDS)
        result.append(token)
    return result


def plain_text(value):
    """Text of `value` without markup (rich text is stripped before it is segmented)."""
    value = value or ""
    if "<" in value and ">" in value:
        # Tags go, entities become characters: &lt;script&gt; written in the text stays text.
        value = get_text_for_indexing(value)
    return value


def index_text(value):
    """What the index stores for a text value: its words separated by spaces."""
    return " ".join(words(plain_text(value)))


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


def query_terms(query, last_is_prefix=False):
    """The terms a query must all match, each once, in order.

    Single Chinese characters left over by the segmentation (a word the
    dictionary does not know, or one typed half-way) are prefixes; with
    `last_is_prefix` (autocomplete) trailing single characters are joined into
    one prefix, so 欧盟反倾 looks for 欧盟 and 反倾….
    """
    tokens = []
    for token in words(query, search_mode=False):
        if token not in tokens:
            tokens.append(token)
    if last_is_prefix:
        tail = []
        while tokens and CJK_CHAR.match(tokens[-1]):
            tail.insert(0, tokens.pop())
        if tail:
            tokens.append("".join(tail))
    terms = [Term(token, prefix=bool(CJK_CHAR.match(token))) for token in tokens]
    if last_is_prefix and terms:
        terms[-1] = Term(terms[-1].text, prefix=True)
    return terms
