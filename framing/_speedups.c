/* Optional compiled scanners for framing's three per-character passes.
 *
 * Each function reproduces, character for character, a pure-Python/regular-expression
 * path that stays in the package as the reference and the fallback:
 *
 *   punkt_slices  nltk Punkt's candidate-boundary scan, the plain-word break decision
 *                 and the closing-punctuation realignment (framing.segment.FastPunkt);
 *   scan_cues     the cue lexicons' three-character trie (framing.cues.CueDetector._fast);
 *   ngram_ids     the default word tokenizer ``(?u)\b\w\w+\b`` and the n-gram vocabulary
 *                 look-up (framing.features.NgramVectorizer).
 *
 * Character classes follow Python's ``re`` on str patterns: a word character is
 * Py_UNICODE_ISALNUM or "_", white space is Py_UNICODE_ISSPACE.  Decisions that need
 * more than a character class (Punkt's full algorithm, the lexicon terms, which are
 * regular expressions) are made by Python callables passed in.  Tests compare every
 * function with its reference (tests/test_speedups.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define CH(i) PyUnicode_READ(kind, data, (i))

/* ASCII answers from a table, the rest from Python's Unicode database */
static unsigned char ascii_class[128]; /* bit 1: word character, bit 2: white space */
static void init_ascii_class(void) {
    for (Py_UCS4 c = 0; c < 128; c++)
        ascii_class[c] = (unsigned char)(((Py_UNICODE_ISALNUM(c) || c == '_') ? 1 : 0) | (Py_UNICODE_ISSPACE(c) ? 2 : 0));
}
static inline int is_word(Py_UCS4 c) { return c < 128 ? ascii_class[c] & 1 : (Py_UNICODE_ISALNUM(c) || c == '_'); }
static inline int is_space(Py_UCS4 c) { return c < 128 ? (ascii_class[c] & 2) >> 1 : Py_UNICODE_ISSPACE(c); }
static inline int is_ascii_letter(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int is_ascii_ws(Py_UCS4 c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0b || c == 0x0c;
}
/* nltk PunktLanguageVars._re_non_word_chars: )";}]*:@'({[ curly quotes, guillemets, ? ! */
static inline int is_nonword(Py_UCS4 c) {
    switch (c) {
    case ')': case '"': case ';': case '}': case ']': case '*': case ':': case '@':
    case '\'': case '(': case '{': case '[': case '?': case '!':
    case 0x2018: case 0x2019: case 0x201c: case 0x201d: case 0xab: case 0xbb:
        return 1;
    default:
        return 0;
    }
}
/* characters NewsLanguageVars._re_word_start excludes, "-" aside (it may start "--"):
 * nltk's word tokenizer makes each a one-character token */
static inline int is_nonstarter(Py_UCS4 c) {
    switch (c) {
    case '(': case '"': case '`': case '{': case '[': case ':': case ';': case '&': case '#':
    case '*': case '@': case ')': case '}': case ']': case ',': case 0x201c: case 0x2018: case 0xab:
        return 1;
    default:
        return 0;
    }
}
/* the closing characters of FastPunkt's plain-break pattern: "')] and ” ’ » */
static inline int is_plain_closer(Py_UCS4 c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201d || c == 0x2019 || c == 0xbb;
}
/* nltk re_boundary_realignment's class: "')]} ‘ ’ “ ” « » */
static inline int is_realign_closer(Py_UCS4 c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0x2018 || c == 0x2019 ||
           c == 0x201c || c == 0x201d || c == 0xab || c == 0xbb;
}

/* A candidate boundary: the end character at `begin`, its word from `word_start`,
 * the match end and where the next token starts (-1 when a punctuation mark follows). */
typedef struct {
    Py_ssize_t word_start, begin, after_end, next_tok;
} Context;

/* FastPunkt.text_contains_sentbreak's direct decision on the context
 * text[ws:begin] + text[begin] + text[begin+1:after_end]; -1 when Punkt must decide. */
static int plain_decision(int kind, const void *data, const Context *c, PyObject *abbrev,
                          PyObject *colloc_first, PyObject *collocations) {
    Py_ssize_t i = c->word_start, n_letters = 0;
    /* the context's leading run of ASCII letters must end exactly at its end character */
    while (i < c->begin && is_ascii_letter(CH(i))) { i++; n_letters++; }
    if (n_letters < 2 || i != c->begin) return -1;
    Py_ssize_t j = c->begin + 1, end = c->after_end;
    Py_ssize_t fs, fe; /* the following token */
    if (end - j == 1 && is_plain_closer(CH(j))) {
        fs = j; fe = end;
    } else if (j < end && is_space(CH(j))) {
        while (j < end && is_space(CH(j))) j++;
        if (j == end) return -1;
        fs = j;
        while (j < end && !is_space(CH(j))) j++;
        if (j != end) return -1;
        fe = end;
    } else {
        return -1;
    }
    if (CH(c->begin) != '.') return 1;
    char buf[64];
    Py_ssize_t wn = c->begin - c->word_start;
    if (wn >= (Py_ssize_t)sizeof(buf)) return -1;
    for (Py_ssize_t k = 0; k < wn; k++) {
        Py_UCS4 ch = CH(c->word_start + k);
        buf[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    PyObject *word = PyUnicode_FromStringAndSize(buf, wn);
    if (!word) return -2;
    int r = PySet_Contains(abbrev, word);
    if (r != 0) { Py_DECREF(word); return r < 0 ? -2 : -1; }
    r = PySet_Contains(colloc_first, word);
    if (r <= 0) { Py_DECREF(word); return r < 0 ? -2 : 1; }
    /* The word starts a known collocation: a break unless (word, next token's type) is
     * one.  The next token, as nltk's word tokenizer splits `following`: a character no
     * word starts with (NewsLanguageVars) or a lone closing mark is a token by itself;
     * ASCII letters, alone or before a final , ; or :, are one token (lower-cased as
     * its type).  Anything else (digits, inner punctuation, a final period) goes to Punkt. */
    Py_ssize_t fn = fe - fs;
    Py_UCS4 f0 = CH(fs);
    int single = is_nonstarter(f0) || (fn == 1 && is_plain_closer(f0));
    if (!single) {
        Py_UCS4 last = CH(fe - 1);
        if (last == ',' || last == ';' || last == ':') fn--;
        if (fn < 1 || fn >= (Py_ssize_t)sizeof(buf)) { Py_DECREF(word); return -1; }
        for (Py_ssize_t k = 0; k < fn; k++) {
            Py_UCS4 ch = CH(fs + k);
            if (!is_ascii_letter(ch)) { Py_DECREF(word); return -1; }
            buf[k] = (char)(ch <= 'Z' ? ch + 32 : ch);
        }
    }
    PyObject *following = single ? PyUnicode_FromOrdinal(f0) : PyUnicode_FromStringAndSize(buf, fn);
    if (!following) { Py_DECREF(word); return -2; }
    PyObject *pair = PyTuple_Pack(2, word, following);
    Py_DECREF(word);
    Py_DECREF(following);
    if (!pair) return -2;
    r = PySet_Contains(collocations, pair);
    Py_DECREF(pair);
    return r < 0 ? -2 : (r ? -1 : 1);
}

/* Is the candidate a sentence break?  1 yes, 0 no, -1 error. */
static int decide(PyObject *text, int kind, const void *data, const Context *c, PyObject *fallback,
                  PyObject *abbrev, PyObject *colloc_first, PyObject *collocations) {
    int d = plain_decision(kind, data, c, abbrev, colloc_first, collocations);
    if (d == -2) return -1;
    if (d >= 0) return d;
    PyObject *context = PyUnicode_Substring(text, c->word_start, c->after_end);
    if (!context) return -1;
    PyObject *res = PyObject_CallOneArg(fallback, context);
    Py_DECREF(context);
    if (!res) return -1;
    int truth = PyObject_IsTrue(res);
    Py_DECREF(res);
    return truth;
}

static int append_span(PyObject *out, Py_ssize_t s, Py_ssize_t e) {
    PyObject *t = Py_BuildValue("(nn)", s, e);
    if (!t) return -1;
    int r = PyList_Append(out, t);
    Py_DECREF(t);
    return r;
}

/* nltk's realignment regex matched at text[a:b]: returns the length of the closing
 * characters (group(0).rstrip()) and sets *end to the match length, or returns 0. */
static Py_ssize_t realign_match(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t *end) {
    Py_ssize_t p = a;
    while (p < b && is_realign_closer(CH(p))) {
        p++; /* lazily, one more closing character, then the rest of the pattern */
        if (p < b && is_space(CH(p))) {
            Py_ssize_t q = p;
            while (q < b && is_space(CH(q))) q++;
            *end = q - a;
            return p - a;
        }
        if ((p + 1 < b && CH(p) == '-' && CH(p + 1) == '-') || p == b || CH(p) == '\n') {
            *end = p - a;
            return p - a;
        }
    }
    return 0;
}

/* punkt_slices(text, decide, abbrev, colloc_first, collocations) -> list of (start, stop)
 *
 * The spans of FastPunkt.span_tokenize(text): candidate contexts as
 * FastPunkt._match_potential_end_contexts finds them, decided as
 * FastPunkt.text_contains_sentbreak decides them (`decide` for all but the plain
 * cases), sliced as nltk's _slices_from_text and realigned as _realign_boundaries. */
static PyObject *punkt_slices(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "punkt_slices(text, decide, abbrev, colloc_first, collocations)");
        return NULL;
    }
    PyObject *text = args[0], *fallback = args[1];
    PyObject *abbrev = args[2], *colloc_first = args[3], *collocations = args[4];
    if (!PyAnySet_Check(abbrev) || !PyAnySet_Check(colloc_first) || !PyAnySet_Check(collocations)) {
        PyErr_SetString(PyExc_TypeError, "abbrev, colloc_first and collocations must be sets");
        return NULL;
    }
    if (PyUnicode_READY(text) < 0) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);

    PyObject *raw = PyList_New(0); /* (start, stop) before realignment */
    if (!raw) return NULL;
    Py_ssize_t last_break = 0;
    Context prev = {0, 0, 0, -1};
    int have_prev = 0;
    Py_ssize_t prev_start = 0, prev_stop = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        Context cur;
        int found = 0;
        if (i < n) {
            Py_UCS4 c = CH(i);
            if (c == '.' || c == '?' || c == '!') {
                if (i + 1 < n && is_nonword(CH(i + 1))) {
                    cur.after_end = i + 2; cur.next_tok = -1; found = 1;
                } else if (i + 1 < n && is_space(CH(i + 1))) {
                    Py_ssize_t j = i + 1;
                    while (j < n && is_space(CH(j))) j++;
                    if (j < n) {
                        Py_ssize_t k = j;
                        while (k < n && !is_space(CH(k))) k++;
                        cur.after_end = k; cur.next_tok = j; found = 1;
                    }
                }
            }
            if (!found) continue;
            cur.begin = i;
            /* the last ASCII white space in text[prev_stop:i] */
            Py_ssize_t index = -1;
            for (Py_ssize_t k = i - 1; k >= prev_stop; k--) {
                if (is_ascii_ws(CH(k))) { index = k; break; }
            }
            cur.word_start = index > prev_stop ? index + 1 : prev_start;
        }
        /* i == n: flush the last candidate */
        if (have_prev && (i == n || prev_stop <= cur.word_start)) {
            int d = decide(text, kind, data, &prev, fallback, abbrev, colloc_first, collocations);
            if (d < 0) { Py_DECREF(raw); return NULL; }
            if (d) {
                Py_ssize_t match_end = prev.begin + 1;
                if (append_span(raw, last_break, match_end) < 0) { Py_DECREF(raw); return NULL; }
                last_break = prev.next_tok >= 0 ? prev.next_tok : match_end;
            }
        }
        if (i == n) break;
        prev = cur;
        have_prev = 1;
        prev_start = cur.word_start;
        prev_stop = cur.begin;
    }
    Py_ssize_t stripped = n;
    while (stripped > 0 && is_space(CH(stripped - 1))) stripped--;
    if (append_span(raw, last_break, stripped) < 0) { Py_DECREF(raw); return NULL; }

    /* _realign_boundaries */
    PyObject *out = PyList_New(0);
    if (!out) { Py_DECREF(raw); return NULL; }
    Py_ssize_t m = PyList_GET_SIZE(raw), realign = 0;
    Py_ssize_t ps = 0, pe = 0;
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *t = PyList_GET_ITEM(raw, k);
        Py_ssize_t cs = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 0));
        Py_ssize_t ce = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 1));
        if (k > 0) {
            Py_ssize_t start = ps + realign, end = 0;
            Py_ssize_t a = cs < 0 ? 0 : cs, b = ce > n ? n : ce;
            Py_ssize_t closers = a < b ? realign_match(kind, data, a, b, &end) : 0;
            if (closers) {
                if (append_span(out, start, cs + closers) < 0) goto fail;
                realign = end;
            } else {
                realign = 0;
                if (start < (pe < n ? pe : n) && append_span(out, start, pe) < 0) goto fail;
            }
        }
        ps = cs; pe = ce;
    }
    if (m > 0 && ps + realign < (pe < n ? pe : n)) {
        if (append_span(out, ps + realign, pe) < 0) goto fail;
    }
    Py_DECREF(raw);
    return out;
fail:
    Py_DECREF(raw);
    Py_DECREF(out);
    return NULL;
}

/* ---------------------------------------------------------------- cues */

/* A trie node is a tuple (children, leaf): children maps one character of the text to
 * a tuple of child nodes (tried in order), leaf is None or (match, types) where
 * match(text, pos) is a compiled pattern's match method and types[lastindex] names the
 * cue type of the group that matched. */
static PyObject *trie_walk(PyObject *node, PyObject *text, int kind, const void *data, Py_ssize_t n,
                           Py_ssize_t p, Py_ssize_t depth, PyObject **out_type) {
    PyObject *children = PyTuple_GET_ITEM(node, 0);
    PyObject *leaf = PyTuple_GET_ITEM(node, 1);
    if (p + depth < n && PyDict_GET_SIZE(children)) {
        PyObject *key = PyUnicode_FromOrdinal(CH(p + depth));
        if (!key) return NULL;
        PyObject *alts = PyDict_GetItemWithError(children, key); /* borrowed */
        Py_DECREF(key);
        if (!alts && PyErr_Occurred()) return NULL;
        if (alts) {
            for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(alts); k++) {
                PyObject *m = trie_walk(PyTuple_GET_ITEM(alts, k), text, kind, data, n, p, depth + 1, out_type);
                if (m != Py_None) return m;
                Py_DECREF(m);
            }
        }
    }
    if (leaf != Py_None) {
        PyObject *pos = PyLong_FromSsize_t(p);
        if (!pos) return NULL;
        PyObject *call_args[2] = {text, pos};
        PyObject *m = PyObject_Vectorcall(PyTuple_GET_ITEM(leaf, 0), call_args, 2, NULL);
        Py_DECREF(pos);
        if (!m || m != Py_None) {
            *out_type = PyTuple_GET_ITEM(leaf, 1);
            return m;
        }
        return m; /* None */
    }
    Py_RETURN_NONE;
}

/* scan_cues(text, root, make) -> list
 *
 * CueDetector._fast.finditer(text) with the overlap rule of CueDetector.detect: at each
 * word start (a letter, or one of İ ı ſ K, not after a word character or "-") the trie
 * is walked as the regular expression would try it; a cue found there is kept unless
 * it starts inside the previous cue.  Returns [make(start, end, type, match), ...]. */
static PyObject *scan_cues(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "scan_cues(text, root, make)");
        return NULL;
    }
    PyObject *text = args[0], *root = args[1], *make = args[2];
    if (PyUnicode_READY(text) < 0) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), pos = 0;
    /* `make` a NamedTuple class: build its instances as tuple.__new__ does */
    int make_is_tuple = PyType_Check(make) && PyType_IsSubtype((PyTypeObject *)make, &PyTuple_Type) &&
                        ((PyTypeObject *)make)->tp_basicsize == PyTuple_Type.tp_basicsize;
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    Py_ssize_t p = 0;
    while (p < n) {
        Py_UCS4 c = CH(p);
        if (!(is_ascii_letter(c) || c == 0x130 || c == 0x131 || c == 0x17f || c == 0x212a) ||
            (p > 0 && (is_word(CH(p - 1)) || CH(p - 1) == '-'))) {
            p++;
            continue;
        }
        PyObject *type = NULL;
        PyObject *m = trie_walk(root, text, kind, data, n, p, 0, &type);
        if (!m) goto fail;
        if (m == Py_None) {
            Py_DECREF(m);
            p++;
            continue;
        }
        PyObject *li = PyObject_GetAttrString(m, "lastindex");
        if (!li) { Py_DECREF(m); goto fail; }
        PyObject *endo = PyObject_CallMethod(m, "end", "O", li);
        Py_DECREF(m);
        if (!endo) { Py_DECREF(li); goto fail; }
        Py_ssize_t end = PyLong_AsSsize_t(endo);
        Py_ssize_t gi = PyLong_AsSsize_t(li);
        Py_DECREF(endo);
        Py_DECREF(li);
        if (end < 0 || gi < 0 || gi >= PyTuple_GET_SIZE(type)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "cue trie: bad group");
            goto fail;
        }
        if (p >= pos) {
            PyObject *match = PyUnicode_Substring(text, p, end);
            if (!match) goto fail;
            PyObject *s = PyLong_FromSsize_t(p), *e = PyLong_FromSsize_t(end);
            PyObject *cue = NULL;
            if (s && e) {
                if (make_is_tuple) {
                    /* a tuple subclass without __new__ logic of its own (a NamedTuple):
                     * tuple.__new__(make, (s, e, type, match)) */
                    PyObject *items = PyTuple_Pack(4, s, e, PyTuple_GET_ITEM(type, gi), match);
                    PyObject *targs = items ? PyTuple_Pack(1, items) : NULL;
                    if (targs) cue = PyTuple_Type.tp_new((PyTypeObject *)make, targs, NULL);
                    Py_XDECREF(items);
                    Py_XDECREF(targs);
                } else {
                    PyObject *cargs[4] = {s, e, PyTuple_GET_ITEM(type, gi), match};
                    cue = PyObject_Vectorcall(make, cargs, 4, NULL);
                }
            }
            Py_XDECREF(s);
            Py_XDECREF(e);
            Py_DECREF(match);
            if (!cue) goto fail;
            int r = PyList_Append(out, cue);
            Py_DECREF(cue);
            if (r < 0) goto fail;
            pos = end;
        }
        p++; /* every word start is tried: the trie may look past the next one */
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---------------------------------------------------------------- n-grams */

/* The columns of the n-grams found, and the row each came from. */
typedef struct {
    long long *ids, *rows;
    Py_ssize_t used, cap;
} IdList;

/* Append vocabulary[gram] (if present) for `row`; -1 on error. */
static int add_gram(IdList *found, PyObject *vocab, PyObject *gram, Py_ssize_t row) {
    PyObject *col = PyDict_GetItemWithError(vocab, gram); /* borrowed */
    if (!col) return PyErr_Occurred() ? -1 : 0;
    long long c = PyLong_AsLongLong(col);
    if (c == -1 && PyErr_Occurred()) return -1;
    if (found->used == found->cap) {
        Py_ssize_t cap = found->cap * 2;
        long long *a = PyMem_Realloc(found->ids, cap * sizeof(long long));
        if (!a) { PyErr_NoMemory(); return -1; }
        found->ids = a;
        long long *b = PyMem_Realloc(found->rows, cap * sizeof(long long));
        if (!b) { PyErr_NoMemory(); return -1; }
        found->rows = b;
        found->cap = cap;
    }
    found->ids[found->used] = c;
    found->rows[found->used] = row;
    found->used++;
    return 0;
}

/* ngram_ids(texts, vocabulary, lo, hi, mode, known) -> (ids: bytes of int64, rows: bytes of int64)
 *
 * Tokens are what re.findall gives for mode 0, scikit-learn's default pattern
 * ``(?u)\b\w\w+\b`` (runs of two or more word characters), or mode 1, framing's
 * ``(?u)\b\w[\w'\u2019-]*\b`` (words with inner apostrophes and hyphens); n-grams for
 * lo <= n <= hi are tokens joined by one space within one text, looked up in the
 * vocabulary (a dict of str to int); `known` is the set of tokens its terms are made of.  Returns the column of each n-gram found and the
 * row it came from, in the order scikit-learn's analyzer yields them per text. */
static PyObject *ngram_ids(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 6 || !PyList_Check(args[0]) || !PyDict_Check(args[1]) || !PyAnySet_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "ngram_ids(texts: list, vocabulary: dict, lo, hi, mode, known: set)");
        return NULL;
    }
    PyObject *texts = args[0], *vocab = args[1], *known = args[5];
    Py_ssize_t lo = PyLong_AsSsize_t(args[2]), hi = PyLong_AsSsize_t(args[3]);
    long mode = PyLong_AsLong(args[4]);
    if (PyErr_Occurred()) return NULL;
    if (lo < 1 || hi < lo || mode < 0 || mode > 1) {
        PyErr_SetString(PyExc_ValueError, "need 1 <= lo <= hi and mode 0 or 1");
        return NULL;
    }
    IdList found = {PyMem_Malloc(1024 * sizeof(long long)), PyMem_Malloc(1024 * sizeof(long long)), 0, 1024};
    Py_ssize_t tcap = 256, bcap = 256;
    Py_UCS4 *buf = PyMem_Malloc(bcap * sizeof(Py_UCS4));
    Py_ssize_t *tstart = PyMem_Malloc(tcap * sizeof(Py_ssize_t)), *tend = PyMem_Malloc(tcap * sizeof(Py_ssize_t));
    Py_ssize_t *unknown_before = PyMem_Malloc((tcap + 1) * sizeof(Py_ssize_t)); /* prefix counts */
    PyObject *result = NULL;
    if (!found.ids || !found.rows || !tstart || !tend || !buf || !unknown_before) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(texts); r++) {
        PyObject *text = PyList_GET_ITEM(texts, r);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "texts[%zd] is not a str", r);
            goto done;
        }
        if (PyUnicode_READY(text) < 0) goto done;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text), nt = 0;
        for (Py_ssize_t i = 0; i < n;) {
            if (!is_word(CH(i))) { i++; continue; }
            Py_ssize_t j = i;
            if (mode == 0) {
                while (j < n && is_word(CH(j))) j++;
                if (j - i < 2) { i = j; continue; }
            } else {
                /* a word character, then word characters, apostrophes and hyphens, less
                 * the trailing ones (the pattern's closing \b backtracks over them) */
                while (j < n && (is_word(CH(j)) || CH(j) == '\'' || CH(j) == 0x2019 || CH(j) == '-')) j++;
                while (!is_word(CH(j - 1))) j--;
            }
            if (nt == tcap) {
                tcap *= 2;
                Py_ssize_t *a = PyMem_Realloc(tstart, tcap * sizeof(Py_ssize_t));
                if (!a) { PyErr_NoMemory(); goto done; }
                tstart = a;
                Py_ssize_t *b = PyMem_Realloc(tend, tcap * sizeof(Py_ssize_t));
                if (!b) { PyErr_NoMemory(); goto done; }
                tend = b;
                Py_ssize_t *u = PyMem_Realloc(unknown_before, (tcap + 1) * sizeof(Py_ssize_t));
                if (!u) { PyErr_NoMemory(); goto done; }
                unknown_before = u;
            }
            tstart[nt] = i; tend[nt] = j; nt++;
            i = j;
        }
        /* Each token once: its unigram looked up, and whether it is in a term of the
         * vocabulary (`known`); longer n-grams over an unknown token are not even built. */
        unknown_before[0] = 0;
        for (Py_ssize_t t = 0; t < nt; t++) {
            PyObject *tok = PyUnicode_Substring(text, tstart[t], tend[t]);
            if (!tok) goto done;
            int in = PySet_Contains(known, tok);
            if (in > 0 && lo == 1 && add_gram(&found, vocab, tok, r) < 0) in = -1;
            Py_DECREF(tok);
            if (in < 0) goto done;
            unknown_before[t + 1] = unknown_before[t] + !in;
        }
        for (Py_ssize_t g = lo > 2 ? lo : 2; g <= hi; g++) {
            for (Py_ssize_t t = 0; t + g <= nt; t++) {
                if (unknown_before[t + g] != unknown_before[t]) continue;
                /* tokens joined by single spaces, built canonically (the dict compares kinds) */
                Py_ssize_t len = g - 1;
                for (Py_ssize_t u = t; u < t + g; u++) len += tend[u] - tstart[u];
                if (len > bcap) {
                    Py_UCS4 *nb = PyMem_Realloc(buf, len * sizeof(Py_UCS4));
                    if (!nb) { PyErr_NoMemory(); goto done; }
                    buf = nb;
                    bcap = len;
                }
                Py_ssize_t at = 0;
                for (Py_ssize_t u = t; u < t + g; u++) {
                    if (u > t) buf[at++] = ' ';
                    for (Py_ssize_t q = tstart[u]; q < tend[u]; q++) buf[at++] = CH(q);
                }
                PyObject *gram = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
                if (!gram) goto done;
                int ok = add_gram(&found, vocab, gram, r);
                Py_DECREF(gram);
                if (ok < 0) goto done;
            }
        }
    }
    {
        PyObject *a = PyBytes_FromStringAndSize((const char *)found.ids, found.used * (Py_ssize_t)sizeof(long long));
        PyObject *b = PyBytes_FromStringAndSize((const char *)found.rows, found.used * (Py_ssize_t)sizeof(long long));
        if (a && b) result = PyTuple_Pack(2, a, b);
        Py_XDECREF(a);
        Py_XDECREF(b);
    }
done:
    PyMem_Free(found.ids);
    PyMem_Free(found.rows);
    PyMem_Free(tstart);
    PyMem_Free(tend);
    PyMem_Free(buf);
    PyMem_Free(unknown_before);
    return result;
}

static PyMethodDef methods[] = {
    {"punkt_slices", (PyCFunction)(void (*)(void))punkt_slices, METH_FASTCALL,
     "punkt_slices(text, decide, abbrev, colloc_first, collocations) -> list of (start, stop)"},
    {"scan_cues", (PyCFunction)(void (*)(void))scan_cues, METH_FASTCALL,
     "scan_cues(text, root, make) -> list of make(start, end, cue_type, match)"},
    {"ngram_ids", (PyCFunction)(void (*)(void))ngram_ids, METH_FASTCALL,
     "ngram_ids(texts, vocabulary, lo, hi, mode, known) -> (ids, rows) as bytes of int64"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "framing._speedups",
    "Optional compiled scanners; each equals a pure-Python reference in framing.", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    init_ascii_class();
    return PyModule_Create(&module);
}
