# Times XGBoost hist on matrices written by bench/gbdt-speed.ts (float64 row-major, NaN = missing;
# categorical columns hold codes) and prints one JSON line per job. Run with Debian's /usr/bin/python3.
import json, sys, time
import numpy as np
import xgboost as xgb

def metric(kind, y, p):
    if kind == 'binary':
        order = np.argsort(p, kind='mergesort')
        ranks = np.empty(len(p)); ranks[order] = np.arange(1, len(p) + 1)
        # average ranks for ties
        sp = p[order]; i = 0
        while i < len(sp):
            j = i
            while j + 1 < len(sp) and sp[j + 1] == sp[i]: j += 1
            if j > i: ranks[order[i:j + 1]] = (i + j + 2) / 2
            i = j + 1
        pos = y == 1; npos = pos.sum(); nneg = len(y) - npos
        auc = (ranks[pos].sum() - npos * (npos + 1) / 2) / (npos * nneg)
        return {'accuracy': float(((p > 0.5) == pos).mean()), 'auc': float(auc)}
    if kind == 'multiclass':
        return {'accuracy': float((p.argmax(axis=1) == y).mean())}
    resid = ((p - y) ** 2).sum(); tot = ((y - y.mean()) ** 2).sum()
    return {'r2': float(1 - resid / tot), 'rmse': float(np.sqrt(resid / len(y)))}

def main():
    job = json.loads(sys.argv[1])
    d = job['dir']; nf = job['nFeatures']
    Xtr = np.fromfile(f'{d}/xtrain.f64', dtype='<f8').reshape(-1, nf)
    Xte = np.fromfile(f'{d}/xtest.f64', dtype='<f8').reshape(-1, nf)
    ytr = np.fromfile(f'{d}/ytrain.f64', dtype='<f8'); yte = np.fromfile(f'{d}/ytest.f64', dtype='<f8')
    kind = job['kind']
    params = {'tree_method': 'hist', 'grow_policy': 'lossguide', 'max_leaves': job['maxLeaves'], 'max_depth': 0,
              'eta': job['learningRate'], 'max_bin': job['maxBins'], 'lambda': job['l2'], 'min_child_weight': job['minHessianLeaf'],
              'max_cat_threshold': 32, 'nthread': 1}
    if kind == 'binary': params['objective'] = 'binary:logistic'
    elif kind == 'multiclass': params.update({'objective': 'multi:softprob', 'num_class': job['nClasses']})
    else: params['objective'] = 'reg:squarederror'
    types = job['featureTypes']
    for threads in job['threads']:
        params['nthread'] = threads
        fits = []
        cpu = []
        for _ in range(job['repeats']):
            t0 = time.perf_counter()
            c0 = time.process_time()
            dtr = xgb.DMatrix(Xtr, label=ytr, feature_types=types, enable_categorical=True, nthread=threads)
            booster = xgb.train(params, dtr, job['maxIter'])
            fits.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        dte = xgb.DMatrix(Xte, feature_types=types, enable_categorical=True, nthread=threads)
        t0 = time.perf_counter()
        c0 = time.process_time()
        p = booster.predict(dte)
        pred_s = time.perf_counter() - t0
        pred_cpu = time.process_time() - c0
        print(json.dumps({'threads': threads, 'fits': fits, 'cpu': cpu, 'predictRowsPerS': len(yte) / pred_s, 'predictRowsPerCpuS': len(yte) / pred_cpu, 'metrics': metric(kind, yte, p)}), flush=True)

main()
