"""scikit-learn baseline for the fast-tier benchmark (bench/fast.ts runs it on the same split).

Reads a JSON file {"train": {"texts": [...], "labels": {field: [label|null]}}, "test": {...}} and prints one
JSON object: per field accuracy and macro-F1 on test, plus train and predict seconds. The model is the bar of
shared/data/README.md: TF-IDF word 1-2-grams + char_wb 2-5-grams (sklearn defaults otherwise, each block
L2-normalised, as a FeatureUnion does), LogisticRegression(C=5) per field. Exit code 3: scikit-learn missing.
"""
import json
import sys
import time

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.pipeline import FeatureUnion
except ImportError as error:  # the caller prints how to install it
    print(json.dumps({"error": f"scikit-learn is not installed ({error})"}))
    sys.exit(3)


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    train, test = data["train"], data["test"]
    started = time.perf_counter()
    vectorizer = FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
    ])
    x_train = vectorizer.fit_transform(train["texts"])
    models = {}
    for field, labels in train["labels"].items():
        rows = [i for i, label in enumerate(labels) if label is not None]
        classes = {labels[i] for i in rows}
        if len(classes) < 2:
            models[field] = ("constant", next(iter(classes))) if classes else None
            continue
        clf = LogisticRegression(C=5, max_iter=1000)
        clf.fit(x_train[rows], [labels[i] for i in rows])
        models[field] = ("model", clf)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    x_test = vectorizer.transform(test["texts"])
    predictions = {}
    for field, model in models.items():
        if model is None:
            continue
        kind, value = model
        predictions[field] = value.predict(x_test) if kind == "model" else [value] * len(test["texts"])
    predict_seconds = time.perf_counter() - started

    fields = {}
    for field, predicted in predictions.items():
        truth = test["labels"][field]
        rows = [i for i, label in enumerate(truth) if label is not None]
        y_true = [truth[i] for i in rows]
        y_pred = [str(predicted[i]) for i in rows]
        fields[field] = {
            "accuracy": accuracy_score(y_true, y_pred) if rows else 0.0,
            "macro_f1": f1_score(y_true, y_pred, average="macro", zero_division=0) if rows else 0.0,
            "n": len(rows),
        }
    print(json.dumps({
        "fields": fields,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "features": x_train.shape[1],
    }))


if __name__ == "__main__":
    main(sys.argv[1])
