/* Optional compiled scanners for framing's per-character passes.
 *
 * Each function reproduces, character for character, a pure-Python/regular-expression
 * path that stays in the package as the reference and the fallback:
 *
 *   punkt_slices  nltk Punkt's candidate-boundary scan, the plain-word break decision
 *                 and the closing-punctuation realignment (framing.segment.FastPunkt);
 *   scan_cues     the cue lexicons as a six-character trie whose leaves hold each term's
 *                 plain alternatives, compiled once by cue_table from the records of
 *                 framing.cues._flat_trie (framing.cues.CueDetector._fast, _program);
 *   quote_spans   the quotation pattern of the cue detector (framing.cues._QUOTE);
 *   ngram_counts  the word tokenizers ``(?u)\b\w\w+\b`` and ``(?u)\b\w[\w'\u2019-]*\b`` and
 *                 the n-gram vocabulary look-up (to CSR counts), over a vocabulary compiled once by
 *                 ngram_table (framing.features.NgramVectorizer).
 *
 * Character classes follow Python's ``re`` on str patterns: a word character is
 * Py_UNICODE_ISALNUM or "_", white space is Py_UNICODE_ISSPACE.  Decisions that need
 * more than a character class (Punkt's full algorithm, lexicon terms that are not plain
 * alternatives) are made by Python callables passed in.  Tests compare every
 * function with its reference (tests/test_speedups.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

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

/* The cue trie, flattened by framing.cues._flat_trie into int32 records and compiled by
 * cue_table into a capsule.  A node has its edges (sorted by code point), each naming
 * the child nodes to try in order, and a leaf: none, a run of entries (cue type and
 * plain alternatives, tried in order), or a compiled pattern (match, types).  An
 * alternative is a run of items: a character set (any of its code points) or a run of at
 * least k word characters, taken whole.  Children always have larger indices than their
 * parent and the trie is at most CUE_MAX_DEPTH deep (checked by cue_table).  An ASCII
 * character finds its edge by a direct table per node, any other by a scan of the edges. */
typedef struct { int32_t edge_off, edge_n, leaf_kind, leaf_a, leaf_b; } TrieNode;
typedef struct { int32_t cp, kid_off, kid_n; } TrieEdge;
typedef struct { int32_t type, alt_off, alt_n; } TrieEntry;
typedef struct { int32_t item_off, item_n; } TrieAlt;
typedef struct { int32_t kind, a, b; } TrieItem; /* kind 0: chars[a:a+b]; kind 1: a run of >= a */
enum { LEAF_NONE = 0, LEAF_ENTRIES = 1, LEAF_PATTERN = 2, CUE_MAX_DEPTH = 64 };

typedef struct {
    Py_ssize_t n_nodes, n_edges, n_kids, n_entries, n_alts, n_items, n_chars;
    TrieNode *nodes;
    TrieEdge *edges;
    int32_t *kids;
    TrieEntry *entries;
    TrieAlt *alts;
    TrieItem *items;
    int32_t *chars;
    int32_t *ascii;     /* n_nodes x 128: the edge for an ASCII character, or -1 */
    PyObject *types;    /* tuple of str: the cue types of entries */
    PyObject *patterns; /* tuple of (match, types): pattern leaves */
} CueTable;

static void cue_table_free(PyObject *capsule) {
    CueTable *t = PyCapsule_GetPointer(capsule, "framing.cue_table");
    if (!t) return;
    PyMem_Free(t->nodes);
    PyMem_Free(t->edges);
    PyMem_Free(t->kids);
    PyMem_Free(t->entries);
    PyMem_Free(t->alts);
    PyMem_Free(t->items);
    PyMem_Free(t->chars);
    PyMem_Free(t->ascii);
    Py_XDECREF(t->types);
    Py_XDECREF(t->patterns);
    PyMem_Free(t);
}

/* Copy a bytes object of int32 records of `width` fields; sets *count. */
static void *copy_records(PyObject *b, Py_ssize_t width, Py_ssize_t *count, const char *name) {
    if (!PyBytes_Check(b) || PyBytes_GET_SIZE(b) % (width * 4)) {
        PyErr_Format(PyExc_ValueError, "cue_table: %s must be bytes of int32 records of %zd fields", name, width);
        return NULL;
    }
    *count = PyBytes_GET_SIZE(b) / (width * 4);
    void *out = PyMem_Malloc(PyBytes_GET_SIZE(b) ? PyBytes_GET_SIZE(b) : 1);
    if (!out) return PyErr_NoMemory();
    memcpy(out, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
    return out;
}

static int in_range(int32_t off, int32_t n, Py_ssize_t size) { return off >= 0 && n >= 0 && (Py_ssize_t)off + n <= size; }

/* cue_table(nodes, edges, kids, entries, alts, items, chars, types, patterns) -> capsule */
static PyObject *cue_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9 || !PyTuple_Check(args[7]) || !PyTuple_Check(args[8])) {
        PyErr_SetString(PyExc_TypeError, "cue_table(nodes, edges, kids, entries, alts, items, chars, types: tuple, patterns: tuple)");
        return NULL;
    }
    CueTable *t = PyMem_Calloc(1, sizeof(CueTable));
    if (!t) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, "framing.cue_table", cue_table_free);
    if (!capsule) { PyMem_Free(t); return NULL; }
    if (!(t->nodes = copy_records(args[0], 5, &t->n_nodes, "nodes")) ||
        !(t->edges = copy_records(args[1], 3, &t->n_edges, "edges")) ||
        !(t->kids = copy_records(args[2], 1, &t->n_kids, "kids")) ||
        !(t->entries = copy_records(args[3], 3, &t->n_entries, "entries")) ||
        !(t->alts = copy_records(args[4], 2, &t->n_alts, "alts")) ||
        !(t->items = copy_records(args[5], 3, &t->n_items, "items")) ||
        !(t->chars = copy_records(args[6], 1, &t->n_chars, "chars")))
        goto fail;
    t->types = Py_NewRef(args[7]);
    t->patterns = Py_NewRef(args[8]);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(t->types); k++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(t->types, k))) goto bad;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(t->patterns); k++) {
        PyObject *leaf = PyTuple_GET_ITEM(t->patterns, k);
        if (!PyTuple_Check(leaf) || PyTuple_GET_SIZE(leaf) != 2 || !PyCallable_Check(PyTuple_GET_ITEM(leaf, 0)) ||
            !PyTuple_Check(PyTuple_GET_ITEM(leaf, 1)))
            goto bad;
    }
    if (t->n_nodes < 1) goto bad;
    {
        /* every index in range; children after their parent, at most CUE_MAX_DEPTH deep */
        int *depth = PyMem_Calloc(t->n_nodes, sizeof(int));
        if (!depth) { PyErr_NoMemory(); goto fail; }
        int ok = 1;
        for (Py_ssize_t v = 0; v < t->n_nodes && ok; v++) {
            const TrieNode *nd = &t->nodes[v];
            ok = in_range(nd->edge_off, nd->edge_n, t->n_edges);
            if (ok && nd->leaf_kind == LEAF_ENTRIES) ok = in_range(nd->leaf_a, nd->leaf_b, t->n_entries);
            else if (ok && nd->leaf_kind == LEAF_PATTERN) ok = nd->leaf_a >= 0 && nd->leaf_a < PyTuple_GET_SIZE(t->patterns);
            else if (ok) ok = nd->leaf_kind == LEAF_NONE;
            for (int32_t e = 0; ok && e < nd->edge_n; e++) {
                const TrieEdge *ed = &t->edges[nd->edge_off + e];
                ok = in_range(ed->kid_off, ed->kid_n, t->n_kids) && (e == 0 || ed->cp > ed[-1].cp);
                for (int32_t k = 0; ok && k < ed->kid_n; k++) {
                    int32_t kid = t->kids[ed->kid_off + k];
                    ok = kid > v && kid < t->n_nodes && depth[v] < CUE_MAX_DEPTH;
                    if (ok) depth[kid] = depth[v] + 1;
                }
            }
        }
        PyMem_Free(depth);
        for (Py_ssize_t k = 0; ok && k < t->n_entries; k++)
            ok = t->entries[k].type >= 0 && t->entries[k].type < PyTuple_GET_SIZE(t->types) &&
                 in_range(t->entries[k].alt_off, t->entries[k].alt_n, t->n_alts);
        for (Py_ssize_t k = 0; ok && k < t->n_alts; k++) ok = in_range(t->alts[k].item_off, t->alts[k].item_n, t->n_items);
        for (Py_ssize_t k = 0; ok && k < t->n_items; k++)
            ok = (t->items[k].kind == 0 && in_range(t->items[k].a, t->items[k].b, t->n_chars)) ||
                 (t->items[k].kind == 1 && t->items[k].a >= 0);
        if (!ok) goto bad;
    }
    t->ascii = PyMem_Malloc(t->n_nodes * 128 * sizeof(int32_t));
    if (!t->ascii) { PyErr_NoMemory(); goto fail; }
    for (Py_ssize_t k = 0; k < t->n_nodes * 128; k++) t->ascii[k] = -1;
    for (Py_ssize_t v = 0; v < t->n_nodes; v++)
        for (int32_t e = 0; e < t->nodes[v].edge_n; e++) {
            int32_t cp = t->edges[t->nodes[v].edge_off + e].cp;
            if (cp >= 0 && cp < 128) t->ascii[v * 128 + cp] = t->nodes[v].edge_off + e;
        }
    return capsule;
bad:
    PyErr_SetString(PyExc_ValueError, "cue_table: inconsistent trie records");
fail:
    Py_DECREF(capsule);
    return NULL;
}

/* Does text[p:] start with one of the entry's alternatives, and end before a non-word
 * character?  Returns the end of the first alternative that matches, or -1. */
static Py_ssize_t entry_match(const CueTable *t, const TrieEntry *en, int kind, const void *data, Py_ssize_t n,
                              Py_ssize_t p) {
    for (int32_t a = 0; a < en->alt_n; a++) {
        const TrieAlt *alt = &t->alts[en->alt_off + a];
        Py_ssize_t q = p;
        int32_t k;
        for (k = 0; k < alt->item_n; k++) {
            const TrieItem *it = &t->items[alt->item_off + k];
            if (it->kind == 1) {
                Py_ssize_t start = q;
                while (q < n && is_word(CH(q))) q++;
                if (q - start < it->a) break;
            } else {
                if (q >= n) break;
                Py_UCS4 c = CH(q);
                const int32_t *set = t->chars + it->a;
                int32_t j;
                for (j = 0; j < it->b && (Py_UCS4)set[j] != c; j++)
                    ;
                if (j == it->b) break;
                q++;
            }
        }
        if (k == alt->item_n && (q >= n || !is_word(CH(q)))) return q;
    }
    return -1;
}

/* The end of the cue found at p by walking node `v` at `depth` characters in, and
 * *out_type (borrowed); -1 where none is found, -2 on error. */
static Py_ssize_t trie_walk(const CueTable *t, int32_t v, PyObject *text, int kind, const void *data, Py_ssize_t n,
                            Py_ssize_t p, Py_ssize_t depth, PyObject **out_type) {
    const TrieNode *nd = &t->nodes[v];
    if (p + depth < n && nd->edge_n) {
        Py_UCS4 c = CH(p + depth);
        const TrieEdge *edge = NULL;
        if (c < 128) {
            int32_t e = t->ascii[(Py_ssize_t)v * 128 + c];
            if (e >= 0) edge = &t->edges[e];
        } else {
            for (int32_t e = 0; e < nd->edge_n; e++)
                if ((Py_UCS4)t->edges[nd->edge_off + e].cp == c) { edge = &t->edges[nd->edge_off + e]; break; }
        }
        if (edge) {
            for (int32_t k = 0; k < edge->kid_n; k++) {
                Py_ssize_t end = trie_walk(t, t->kids[edge->kid_off + k], text, kind, data, n, p, depth + 1, out_type);
                if (end != -1) return end;
            }
        }
    }
    if (nd->leaf_kind == LEAF_NONE) return -1;
    if (nd->leaf_kind == LEAF_ENTRIES) {
        for (int32_t k = 0; k < nd->leaf_b; k++) {
            const TrieEntry *en = &t->entries[nd->leaf_a + k];
            Py_ssize_t end = entry_match(t, en, kind, data, n, p);
            if (end >= 0) {
                *out_type = PyTuple_GET_ITEM(t->types, en->type);
                return end;
            }
        }
        return -1;
    }
    PyObject *leaf = PyTuple_GET_ITEM(t->patterns, nd->leaf_a);
    PyObject *pos = PyLong_FromSsize_t(p);
    if (!pos) return -2;
    PyObject *call_args[2] = {text, pos};
    PyObject *m = PyObject_Vectorcall(PyTuple_GET_ITEM(leaf, 0), call_args, 2, NULL);
    Py_DECREF(pos);
    if (!m) return -2;
    if (m == Py_None) {
        Py_DECREF(m);
        return -1;
    }
    PyObject *li = PyObject_GetAttrString(m, "lastindex");
    PyObject *endo = li ? PyObject_CallMethod(m, "end", "O", li) : NULL;
    Py_DECREF(m);
    Py_ssize_t end = endo ? PyLong_AsSsize_t(endo) : -2;
    Py_ssize_t gi = li ? PyLong_AsSsize_t(li) : -2;
    Py_XDECREF(endo);
    Py_XDECREF(li);
    PyObject *types = PyTuple_GET_ITEM(leaf, 1);
    if (end < 0 || gi < 0 || gi >= PyTuple_GET_SIZE(types)) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "cue trie: bad group");
        return -2;
    }
    *out_type = PyTuple_GET_ITEM(types, gi);
    return end;
}

/* scan_cues(text, table, make) -> list
 *
 * CueDetector._fast.finditer(text) with the overlap rule of CueDetector.detect: at each
 * word start (a letter, or one of İ ı ſ K, not after a word character or "-") the trie
 * is walked as the regular expression would try it; a cue found there is kept unless
 * it starts inside the previous cue.  Returns [make(start, end, type, match), ...]. */
static PyObject *scan_cues(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyCapsule_IsValid(args[1], "framing.cue_table")) {
        PyErr_SetString(PyExc_TypeError, "scan_cues(text: str, table: cue_table(...), make)");
        return NULL;
    }
    PyObject *text = args[0], *make = args[2];
    const CueTable *table = PyCapsule_GetPointer(args[1], "framing.cue_table");
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
            (p > 0 && (is_word(CH(p - 1)) || CH(p - 1) == '-')) || p < pos) {
            p++; /* not a word start, or one inside the previous cue (no new cue there) */
            continue;
        }
        PyObject *type = NULL;
        Py_ssize_t end = trie_walk(table, 0, text, kind, data, n, p, 0, &type);
        if (end == -2) goto fail;
        if (end == -1) {
            p++;
            continue;
        }
        {
            PyObject *match = PyUnicode_Substring(text, p, end);
            if (!match) goto fail;
            PyObject *s = PyLong_FromSsize_t(p), *e = PyLong_FromSsize_t(end);
            PyObject *cue = NULL;
            if (s && e) {
                if (make_is_tuple) {
                    /* a tuple subclass without __new__ logic of its own (a NamedTuple):
                     * filled in as tuple.__new__(make, (s, e, type, match)) fills it */
                    cue = ((PyTypeObject *)make)->tp_alloc((PyTypeObject *)make, 4);
                    if (cue) {
                        PyObject *items[4] = {s, e, type, match};
                        for (int k = 0; k < 4; k++) {
                            Py_INCREF(items[k]);
                            PyTuple_SET_ITEM(cue, k, items[k]);
                        }
                    }
                } else {
                    PyObject *cargs[4] = {s, e, type, match};
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

/* quote_spans(text) -> list of (start, end)
 *
 * The spans of framing.cues._QUOTE.finditer(text): an opening ‘ “ " or ', then the
 * shortest body of 1 to 400 characters none of which is ‘ ’ “ ” " or a line break, then a
 * closing ’ ” " or ' not followed by a word character. */
static inline int quote_body_char(Py_UCS4 c) {
    return c != 0x2018 && c != 0x2019 && c != 0x201c && c != 0x201d && c != '"' && c != '\n';
}

static PyObject *quote_spans(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "quote_spans(text: str)");
        return NULL;
    }
    PyObject *text = args[0];
    if (PyUnicode_READY(text) < 0) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (Py_ssize_t s = 0; s + 2 < n;) {
        Py_UCS4 c = CH(s);
        Py_ssize_t end = -1;
        if (c == 0x2018 || c == 0x201c || c == '"' || c == '\'') {
            for (Py_ssize_t q = s + 1; q < n && q <= s + 400 && quote_body_char(CH(q)); q++) {
                Py_UCS4 close = q + 1 < n ? CH(q + 1) : 0;
                if ((close == 0x2019 || close == 0x201d || close == '"' || close == '\'') &&
                    (q + 2 >= n || !is_word(CH(q + 2)))) {
                    end = q + 2;
                    break;
                }
            }
        }
        if (end < 0) {
            s++;
            continue;
        }
        PyObject *span = Py_BuildValue("(nn)", s, end);
        if (!span || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(span);
        s = end;
    }
    return out;
}

/* ---------------------------------------------------------------- n-grams */

/* The n-gram vocabulary as two open-addressing hash tables, built once per vocabulary
 * (ngram_table) and kept in a capsule: the tokens its terms are made of (characters ->
 * token id), and the terms as token-id sequences (-> column).  A text's n-grams are then
 * looked up without building a string for any of them. */
#define NGRAM_MAX 8 /* tokens per term; a vocabulary with longer terms is not compiled */

/* A token slot: the high half of the token's hash (checked before its characters) and
 * its id, -1 for an empty slot.  A term slot: the hash of its token-id sequence, its
 * column and its length in tokens (0: an empty slot); the ids themselves are kept
 * apart (gram_ids, NGRAM_MAX per slot) and read only when the hash agrees.  A token
 * that is a one-token term has its column in tok_col (else -1), so unigrams need no
 * second look-up.  Tables are at most half full. */
typedef struct { uint32_t check; int32_t id; } TokSlot;
typedef struct { uint64_t hash; int32_t col, len; } GramSlot;

typedef struct {
    Py_ssize_t n_tokens, tok_mask, gram_mask;
    Py_UCS4 *pool;            /* the tokens' characters, one after another */
    Py_ssize_t *tok_off, *tok_len;
    uint64_t *tok_hash;
    int32_t *tok_col;
    TokSlot *tok_slot;
    GramSlot *gram_slot;
    unsigned int *gram_ids;   /* NGRAM_MAX ids per slot */
} NgramTable;

typedef struct {
    long long *ids, *counts; /* columns found, and their counts */
    Py_ssize_t used, cap;
} IdList;

static void ngram_table_free(PyObject *capsule) {
    NgramTable *t = PyCapsule_GetPointer(capsule, "framing.ngram_table");
    if (!t) return;
    PyMem_Free(t->pool);
    PyMem_Free(t->tok_off);
    PyMem_Free(t->tok_len);
    PyMem_Free(t->tok_hash);
    PyMem_Free(t->tok_col);
    PyMem_Free(t->tok_slot);
    PyMem_Free(t->gram_slot);
    PyMem_Free(t->gram_ids);
    PyMem_Free(t);
}

static inline unsigned long long mix(unsigned long long h, unsigned long long v) {
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h * 0xBF58476D1CE4E5B9ULL;
}

static inline uint64_t token_hash(int kind, const void *data, Py_ssize_t s, Py_ssize_t e) {
    unsigned long long h = 14695981039346656037ULL;
    for (Py_ssize_t i = s; i < e; i++) h = mix(h, CH(i));
    return h;
}

/* The token id of chars [s, e) of a text (kind, data) with hash h, or -1; *slot_out
 * (if given) is the slot it is in, or the empty slot where it would go. */
static Py_ssize_t token_id(const NgramTable *t, int kind, const void *data, Py_ssize_t s, Py_ssize_t e, uint64_t h,
                           Py_ssize_t *slot_out) {
    uint32_t check = (uint32_t)(h >> 32);
    for (Py_ssize_t slot = (Py_ssize_t)(h & t->tok_mask);; slot = (slot + 1) & t->tok_mask) {
        const TokSlot *ts = &t->tok_slot[slot];
        if (ts->id < 0) {
            if (slot_out) *slot_out = slot;
            return -1;
        }
        if (ts->check != check || t->tok_len[ts->id] != e - s) continue;
        const Py_UCS4 *c = t->pool + t->tok_off[ts->id];
        Py_ssize_t i = 0;
        while (i < e - s && c[i] == CH(s + i)) i++;
        if (i == e - s) {
            if (slot_out) *slot_out = slot;
            return ts->id;
        }
    }
}

static inline uint64_t gram_hash(const unsigned int *ids, Py_ssize_t g) {
    unsigned long long h = (unsigned long long)g;
    for (Py_ssize_t k = 0; k < g; k++) h = mix(h, ids[k]);
    return h;
}

/* The slot of the term with token ids ids[:g] (hash h), or of the empty slot where it would go. */
static Py_ssize_t gram_find(const NgramTable *t, const unsigned int *ids, Py_ssize_t g, uint64_t h) {
    for (Py_ssize_t slot = (Py_ssize_t)(h & t->gram_mask);; slot = (slot + 1) & t->gram_mask) {
        const GramSlot *gs = &t->gram_slot[slot];
        if (gs->len == 0) return slot;
        if (gs->hash == h && gs->len == g) {
            const unsigned int *have = t->gram_ids + slot * NGRAM_MAX;
            Py_ssize_t k = 0;
            while (k < g && have[k] == ids[k]) k++;
            if (k == g) return slot;
        }
    }
}

static Py_ssize_t pow2_above(Py_ssize_t n) {
    Py_ssize_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    return cap;
}

static TokSlot *empty_tok_slots(Py_ssize_t n) {
    TokSlot *slots = PyMem_Malloc(n * sizeof(TokSlot));
    if (slots)
        for (Py_ssize_t i = 0; i < n; i++) slots[i].id = -1, slots[i].check = 0;
    return slots;
}

/* ngram_table(vocabulary: dict of str to int) -> capsule, or None where a term has more
 * than NGRAM_MAX tokens or a column does not fit in int32.  Terms are split on single
 * spaces, as the analyzer joins them. */
static PyObject *ngram_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1 || !PyDict_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "ngram_table(vocabulary: dict)");
        return NULL;
    }
    PyObject *vocab = args[0];
    Py_ssize_t n_terms = PyDict_GET_SIZE(vocab), chars = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(vocab, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyIndex_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "the vocabulary must map str to int");
            return NULL;
        }
        chars += PyUnicode_GET_LENGTH(key) + 1;
    }
    NgramTable *t = PyMem_Calloc(1, sizeof(NgramTable));
    if (!t) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, "framing.ngram_table", ngram_table_free);
    if (!capsule) { PyMem_Free(t); return NULL; }
    Py_ssize_t max_tokens = chars; /* a bound: every token takes at least one character and a separator */
    t->tok_mask = pow2_above(max_tokens) - 1; /* while building; compacted below */
    t->gram_mask = pow2_above(n_terms) - 1;
    t->pool = PyMem_Malloc((chars + 1) * sizeof(Py_UCS4));
    t->tok_off = PyMem_Malloc((max_tokens + 1) * sizeof(Py_ssize_t));
    t->tok_len = PyMem_Malloc((max_tokens + 1) * sizeof(Py_ssize_t));
    t->tok_hash = PyMem_Malloc((max_tokens + 1) * sizeof(uint64_t));
    t->tok_col = PyMem_Malloc((max_tokens + 1) * sizeof(int32_t));
    t->tok_slot = empty_tok_slots(t->tok_mask + 1);
    t->gram_slot = PyMem_Calloc(t->gram_mask + 1, sizeof(GramSlot));
    t->gram_ids = PyMem_Calloc((t->gram_mask + 1) * NGRAM_MAX, sizeof(unsigned int));
    if (!t->pool || !t->tok_off || !t->tok_len || !t->tok_hash || !t->tok_col || !t->tok_slot || !t->gram_slot ||
        !t->gram_ids) {
        Py_DECREF(capsule);
        return PyErr_NoMemory();
    }
    Py_ssize_t used = 0;
    pos = 0;
    while (PyDict_Next(vocab, &pos, &key, &value)) {
        long long col = PyLong_AsLongLong(value);
        if (col == -1 && PyErr_Occurred()) { Py_DECREF(capsule); return NULL; }
        if (col < 0 || col > INT32_MAX) { Py_DECREF(capsule); Py_RETURN_NONE; }
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t n = PyUnicode_GET_LENGTH(key), g = 0;
        unsigned int ids[NGRAM_MAX];
        for (Py_ssize_t s = 0, e = 0; s <= n; s = e + 1) {
            for (e = s; e < n && CH(e) != ' '; e++)
                ;
            if (g == NGRAM_MAX) { Py_DECREF(capsule); Py_RETURN_NONE; }
            uint64_t h = token_hash(kind, data, s, e);
            Py_ssize_t slot;
            Py_ssize_t id = token_id(t, kind, data, s, e, h, &slot);
            if (id < 0) { /* a new token */
                id = t->n_tokens++;
                t->tok_off[id] = used;
                t->tok_len[id] = e - s;
                t->tok_hash[id] = h;
                t->tok_col[id] = -1;
                for (Py_ssize_t i = s; i < e; i++) t->pool[used++] = CH(i);
                t->tok_slot[slot].check = (uint32_t)(h >> 32);
                t->tok_slot[slot].id = (int32_t)id;
            }
            ids[g++] = (unsigned int)id;
        }
        uint64_t h = gram_hash(ids, g);
        Py_ssize_t slot = gram_find(t, ids, g, h);
        if (t->gram_slot[slot].len == 0) { /* a term is in a dict once; equal id sequences are equal terms */
            memcpy(t->gram_ids + slot * NGRAM_MAX, ids, g * sizeof(unsigned int));
            t->gram_slot[slot].hash = h;
            t->gram_slot[slot].len = (int32_t)g;
            t->gram_slot[slot].col = (int32_t)col;
            if (g == 1) t->tok_col[ids[0]] = (int32_t)col;
        }
    }
    /* the token table, at most half full */
    PyMem_Free(t->tok_slot);
    t->tok_mask = pow2_above(t->n_tokens) - 1;
    t->tok_slot = empty_tok_slots(t->tok_mask + 1);
    if (!t->tok_slot) { Py_DECREF(capsule); return PyErr_NoMemory(); }
    for (Py_ssize_t id = 0; id < t->n_tokens; id++) {
        Py_ssize_t slot = (Py_ssize_t)(t->tok_hash[id] & t->tok_mask);
        while (t->tok_slot[slot].id >= 0) slot = (slot + 1) & t->tok_mask;
        t->tok_slot[slot].check = (uint32_t)(t->tok_hash[id] >> 32);
        t->tok_slot[slot].id = (int32_t)id;
    }
    return capsule;
}

/* The tokens of text (kind, data, n) as [tstart, tend) pairs: mode 0 is scikit-learn's
 * default pattern ``(?u)\b\w\w+\b`` (runs of two or more word characters), mode 1
 * framing's ``(?u)\b\w[\w'\u2019-]*\b`` (words with inner apostrophes and hyphens).
 * Returns the number of tokens, -1 on error (memory). */
static Py_ssize_t tokenize(int kind, const void *data, Py_ssize_t n, long mode, Py_ssize_t **tstart,
                           Py_ssize_t **tend, Py_ssize_t **tid, Py_ssize_t *tcap) {
    Py_ssize_t nt = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!is_word(CH(i))) { i++; continue; }
        Py_ssize_t j = i;
        if (mode == 0) {
            while (j < n && is_word(CH(j))) j++;
            if (j - i < 2) { i = j; continue; }
        } else {
            /* a word character, then word characters, apostrophes and hyphens, less the
             * trailing ones (the pattern's closing \b backtracks over them) */
            while (j < n && (is_word(CH(j)) || CH(j) == '\'' || CH(j) == 0x2019 || CH(j) == '-')) j++;
            while (!is_word(CH(j - 1))) j--;
        }
        if (nt == *tcap) {
            Py_ssize_t cap = *tcap * 2;
            Py_ssize_t *a = PyMem_Realloc(*tstart, cap * sizeof(Py_ssize_t));
            if (!a) return -1;
            *tstart = a;
            Py_ssize_t *b = PyMem_Realloc(*tend, cap * sizeof(Py_ssize_t));
            if (!b) return -1;
            *tend = b;
            Py_ssize_t *c = PyMem_Realloc(*tid, cap * sizeof(Py_ssize_t));
            if (!c) return -1;
            *tid = c;
            *tcap = cap;
        }
        (*tstart)[nt] = i;
        (*tend)[nt] = j;
        nt++;
        i = j;
    }
    return nt;
}

static int cmp_ll(const void *x, const void *y) {
    long long a = *(const long long *)x, b = *(const long long *)y;
    return (a > b) - (a < b);
}

/* Sort ids[0:n] and merge equal ids, counting them into counts; returns the new n. */
static Py_ssize_t sort_and_count(long long *ids, long long *counts, Py_ssize_t n) {
    if (n <= 48) {
        for (Py_ssize_t i = 1; i < n; i++) {
            long long v = ids[i];
            Py_ssize_t j = i;
            while (j > 0 && ids[j - 1] > v) { ids[j] = ids[j - 1]; j--; }
            ids[j] = v;
        }
    } else {
        qsort(ids, (size_t)n, sizeof(long long), cmp_ll);
    }
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (m > 0 && ids[m - 1] == ids[i]) {
            counts[m - 1]++;
        } else {
            ids[m] = ids[i];
            counts[m] = 1;
            m++;
        }
    }
    return m;
}

/* ngram_counts(texts, table, lo, hi, mode) -> (indices, counts, indptr), bytes of int64
 *
 * Tokens as `tokenize` finds them; n-grams for lo <= n <= hi are tokens joined by one
 * space within one text, looked up in the vocabulary compiled by ngram_table.  Returns
 * the count matrix in CSR form, as scikit-learn's CountVectorizer has it after
 * sum_duplicates: per text, the columns found in increasing order with their counts. */
static PyObject *ngram_counts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyList_Check(args[0]) || !PyCapsule_IsValid(args[1], "framing.ngram_table")) {
        PyErr_SetString(PyExc_TypeError, "ngram_counts(texts: list, table: ngram_table(...), lo, hi, mode)");
        return NULL;
    }
    PyObject *texts = args[0];
    const NgramTable *table = PyCapsule_GetPointer(args[1], "framing.ngram_table");
    Py_ssize_t lo = PyLong_AsSsize_t(args[2]), hi = PyLong_AsSsize_t(args[3]);
    long mode = PyLong_AsLong(args[4]);
    if (PyErr_Occurred()) return NULL;
    if (lo < 1 || hi < lo || mode < 0 || mode > 1) {
        PyErr_SetString(PyExc_ValueError, "need 1 <= lo <= hi and mode 0 or 1");
        return NULL;
    }
    if (hi > NGRAM_MAX) hi = NGRAM_MAX; /* the table holds no longer term */
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    IdList found = {PyMem_Malloc(1024 * sizeof(long long)), PyMem_Malloc(1024 * sizeof(long long)), 0, 1024};
    long long *indptr = PyMem_Malloc((n_texts + 1) * sizeof(long long));
    Py_ssize_t tcap = 256;
    Py_ssize_t *tstart = PyMem_Malloc(tcap * sizeof(Py_ssize_t)), *tend = PyMem_Malloc(tcap * sizeof(Py_ssize_t));
    Py_ssize_t *tid = PyMem_Malloc(tcap * sizeof(Py_ssize_t));
    PyObject *result = NULL;
    if (!found.ids || !found.counts || !indptr || !tstart || !tend || !tid) { PyErr_NoMemory(); goto done; }
    indptr[0] = 0;
    for (Py_ssize_t r = 0; r < n_texts; r++) {
        PyObject *text = PyList_GET_ITEM(texts, r);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "texts[%zd] is not a str", r);
            goto done;
        }
        if (PyUnicode_READY(text) < 0) goto done;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t nt = tokenize(kind, data, PyUnicode_GET_LENGTH(text), mode, &tstart, &tend, &tid, &tcap);
        if (nt < 0) { PyErr_NoMemory(); goto done; }
        for (Py_ssize_t t = 0; t < nt; t++)
            tid[t] = token_id(table, kind, data, tstart[t], tend[t], token_hash(kind, data, tstart[t], tend[t]), NULL);
        Py_ssize_t row_start = found.used;
        for (Py_ssize_t g = lo; g <= hi; g++) {
            for (Py_ssize_t t = 0; t + g <= nt; t++) {
                long long col;
                if (g == 1) {
                    if (tid[t] < 0 || (col = table->tok_col[tid[t]]) < 0) continue;
                } else {
                    unsigned int ids[NGRAM_MAX];
                    Py_ssize_t k = 0;
                    while (k < g && tid[t + k] >= 0) { ids[k] = (unsigned int)tid[t + k]; k++; }
                    if (k < g) continue; /* a token no term holds */
                    const GramSlot *gs = &table->gram_slot[gram_find(table, ids, g, gram_hash(ids, g))];
                    if (gs->len == 0) continue;
                    col = gs->col;
                }
                if (found.used == found.cap) {
                    Py_ssize_t cap = found.cap * 2;
                    long long *a = PyMem_Realloc(found.ids, cap * sizeof(long long));
                    if (!a) { PyErr_NoMemory(); goto done; }
                    found.ids = a;
                    long long *b = PyMem_Realloc(found.counts, cap * sizeof(long long));
                    if (!b) { PyErr_NoMemory(); goto done; }
                    found.counts = b;
                    found.cap = cap;
                }
                found.ids[found.used++] = col;
            }
        }
        found.used = row_start + sort_and_count(found.ids + row_start, found.counts + row_start, found.used - row_start);
        indptr[r + 1] = found.used;
    }
    {
        PyObject *a = PyBytes_FromStringAndSize((const char *)found.ids, found.used * (Py_ssize_t)sizeof(long long));
        PyObject *b = PyBytes_FromStringAndSize((const char *)found.counts, found.used * (Py_ssize_t)sizeof(long long));
        PyObject *c = PyBytes_FromStringAndSize((const char *)indptr, (n_texts + 1) * (Py_ssize_t)sizeof(long long));
        if (a && b && c) result = PyTuple_Pack(3, a, b, c);
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
    }
done:
    PyMem_Free(found.ids);
    PyMem_Free(found.counts);
    PyMem_Free(indptr);
    PyMem_Free(tstart);
    PyMem_Free(tend);
    PyMem_Free(tid);
    return result;
}

static PyMethodDef methods[] = {
    {"punkt_slices", (PyCFunction)(void (*)(void))punkt_slices, METH_FASTCALL,
     "punkt_slices(text, decide, abbrev, colloc_first, collocations) -> list of (start, stop)"},
    {"cue_table", (PyCFunction)(void (*)(void))cue_table, METH_FASTCALL,
     "cue_table(nodes, edges, kids, entries, alts, items, chars, types, patterns) -> compiled cue trie for scan_cues"},
    {"scan_cues", (PyCFunction)(void (*)(void))scan_cues, METH_FASTCALL,
     "scan_cues(text, table, make) -> list of make(start, end, cue_type, match)"},
    {"quote_spans", (PyCFunction)(void (*)(void))quote_spans, METH_FASTCALL,
     "quote_spans(text) -> list of (start, end), the spans of framing.cues._QUOTE"},
    {"ngram_table", (PyCFunction)(void (*)(void))ngram_table, METH_FASTCALL,
     "ngram_table(vocabulary) -> compiled vocabulary for ngram_counts, or None"},
    {"ngram_counts", (PyCFunction)(void (*)(void))ngram_counts, METH_FASTCALL,
     "ngram_counts(texts, table, lo, hi, mode) -> (indices, counts, indptr) as bytes of int64"},
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
