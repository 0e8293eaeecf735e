# scikit-learn anchor for bench/text.ts: TF-IDF(1-2 grams, sublinear) + LinearSVC(C=1) (OneVsRest for
# multi-label) fitted on the train split; prints one JSON line with the fit seconds and test metrics.
import csv, json, sys, time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

path, target = sys.argv[1], sys.argv[2]
csv.field_size_limit(10**8)
rows = list(csv.DictReader(open(path, encoding='utf-8', newline='')))
train = [r for r in rows if r['split'] == 'train']
test = [r for r in rows if r['split'] == 'test']
multi = target == 'labels'
if multi:
    mlb = MultiLabelBinarizer()
    y_train = mlb.fit_transform([r[target].split(';') for r in train])
    known = set(mlb.classes_)
    y_test = mlb.transform([[l for l in r[target].split(';') if l in known] for r in test])
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), OneVsRestClassifier(LinearSVC(C=1)))
else:
    y_train = [r[target] for r in train]
    y_test = [r[target] for r in test]
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(C=1))
start = time.perf_counter()
cpu_start = time.process_time()
model.fit([r['text'] for r in train], y_train)
fit = time.perf_counter() - start
cpu = time.process_time() - cpu_start
pred = model.predict([r['text'] for r in test])
if multi:
    out = {'microF1': f1_score(y_test, pred, average='micro'), 'macroF1': f1_score(y_test, pred, average='macro', zero_division=0)}
else:
    out = {'accuracy': accuracy_score(y_test, pred), 'macroF1': f1_score(y_test, pred, average='macro')}
print(json.dumps({'fitSeconds': fit, 'fitCpuSeconds': cpu, **out}))
