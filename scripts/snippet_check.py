# FTS5 snippet() on SQLite against bilateral_snippet() on PostgreSQL (and MATCH against
# bilateral_tsquery), on generated rows of one and two columns. Run by scripts/check-snippet.
# Usage: PSQL="psql -d DB ..." snippet_check.py SEED
import os, random, subprocess, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
vocab = "trade talks Séiha accord ministers élan ÉLAN capital steel tariffs meet again Ñandú the of and a to in on with defense Müller Hänschen report 2024 1.5 e-mail peace forum".split()
seps = [' ', ' ', ' ', ', ', '. ', ': ', ' - ', '; ', ' “', '” ', '! ', '\n', ' (', ') ', '. \n']
def doc(n):
    out = ''
    for i in range(n):
        out += random.choice(vocab) + (random.choice(seps) if i < n - 1 else random.choice(['', '.', '!', ' ']))
    return out
cases = []
for k in range(300):
    ncols = random.choice([1, 2])
    cols = [doc(random.choice([0, 1, 3, 8, 15, 16, 17, 25, 40, 70])) for _ in range(ncols)]
    if ncols == 2 and random.random() < 0.3: cols[1] = ''
    allwords = ' '.join(cols).replace('.', ' ').replace(',', ' ').split()
    pool = [w.strip('“”!();:-') for w in allwords if w.strip('“”!();:-').isalnum()] or ['trade']
    if random.random() < 0.7:
        ws = random.sample(pool, min(len(pool), random.choice([1, 1, 2, 3])))
        ws = [w[:random.randint(2, len(w))] if len(w) > 2 and random.random() < 0.4 else w for w in ws]
        q = ' '.join(f'"{w}"*' for w in ws)
    else:
        # phrase of consecutive words of one column, last a prefix
        c = random.choice([x for x in cols if x.split()] or cols)
        toks = [t for t in __import__('re').split(r'[^\w]+', c) if t]
        if not toks: continue
        i = random.randrange(len(toks)); j = min(len(toks), i + random.choice([1, 2, 3]))
        q = '"' + ' '.join(toks[i:j]) + '"*'
    cases.append((cols, q))
def esc(s): return s.replace("'", "''")
sq = ["CREATE VIRTUAL TABLE t1 USING fts5(x, tokenize='unicode61 remove_diacritics 2');",
      "CREATE VIRTUAL TABLE t2 USING fts5(x, y, tokenize='unicode61 remove_diacritics 2');"]
pg = []
for i, (cols, q) in enumerate(cases):
    t = f"t{len(cols)}"
    sq.append(f"INSERT INTO {t}(rowid, {', '.join('xy'[:len(cols)])}) VALUES ({i}, {', '.join(repr_ for repr_ in [chr(39)+esc(c)+chr(39) for c in cols])});")
    sq.append(f"SELECT {i} || '|' || coalesce((SELECT replace(replace(snippet({t}, -1, char(2), char(3), '…', 16), char(2), '['), char(3), ']') FROM {t} WHERE {t} MATCH '{esc(q)}' AND rowid = {i}), '<nomatch>');")
    arr = "ARRAY[" + ', '.join(chr(39)+esc(c)+chr(39) for c in cols) + "]::text[]"
    pg.append(f"SELECT {i} || '|' || CASE WHEN (SELECT {' || '.join(f'setweight(to_tsvector({chr(39)}simple{chr(39)}, bilateral_words({chr(39)}{esc(c)}{chr(39)})), {chr(39)}{w}{chr(39)})' for c, w in zip(cols, 'AB'))}) @@ bilateral_tsquery('{esc(q)}') THEN replace(replace(bilateral_snippet({arr}, '{esc(q)}', E'\\u0002', E'\\u0003', '…', 16), E'\\u0002', '['), E'\\u0003', ']') ELSE '<nomatch>' END;")
a = subprocess.run(['sqlite3', ':memory:'], input='\n'.join(sq), capture_output=True, text=True)
b = subprocess.run(os.environ['PSQL'].split() + ['-XAtq'], input='\n'.join(pg), capture_output=True, text=True)
if a.stderr or b.stderr: print('ERR', a.stderr[:2000], b.stderr[:2000])
A = a.stdout.split('\n'); B = b.stdout.split('\n')
# outputs may contain newlines: re-split by the case id prefix
import re
def parse(s):
    d = {}; cur = None
    for line in s.split('\n'):
        m = re.match(r'^(\d+)\|(.*)$', line)
        if m and int(m.group(1)) not in d and (cur is None or int(m.group(1)) == cur + 1 or True):
            cur = int(m.group(1)); d[cur] = m.group(2)
        elif cur is not None: d[cur] += '\n' + line
    return d
A = parse(a.stdout); B = parse(b.stdout)
bad = 0
for i, (cols, q) in enumerate(cases):
    if A.get(i) != B.get(i):
        bad += 1
        if bad <= 6: print('CASE', i, q, repr(cols)); print('  SQLITE', repr(A.get(i))); print('  PG    ', repr(B.get(i)))
print('cases', len(cases), 'different', bad, 'nomatch sqlite', sum(1 for v in A.values() if v == '<nomatch>'))
sys.exit(1 if bad else 0)
