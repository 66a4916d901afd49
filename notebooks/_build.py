"""Writes the review notebooks (run: python notebooks/_build.py). Stored without outputs."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

SETUP = '''import os, sys
from pathlib import Path
ROOT = Path.cwd() if (Path.cwd() / "corpus").exists() else Path.cwd().parent
os.chdir(ROOT)
WORK = Path(os.environ.get("HAP_NOTEBOOK_WORK", "notebook-work"))
WORK.mkdir(exist_ok=True)
MODEL = Path(os.environ.get("HAP_MODEL", "models/default"))'''

review = [
    new_markdown_cell("# 1.0 Review a classified dump\n\nClassify the sample dump, look at the label distribution and "
                      "confidence, browse passages with their entities and fields, walk the review queue and save "
                      "corrections for retraining. Everything here calls `pipeline.review`."),
    new_code_cell(SETUP),
    new_code_cell('''import matplotlib
matplotlib.use("Agg") if "ipykernel" not in sys.modules else None
import matplotlib.pyplot as plt
from IPython.display import HTML, display
from pipeline import RunSettings, classify_dump
from pipeline.review import load_output, review_queue, render_passage, correction, save_corrections, label_distribution, repeated_passages

report = classify_dump(["corpus/samples/dump.jsonl"], WORK / "sample.parquet", MODEL, RunSettings(), overwrite=True, progress=False)
print(report.summary())
df = load_output(WORK / "sample.parquet")
df[["article_id", "passage", "label", "confidence", "needs_review"]].head()'''),
    new_markdown_cell("## Labels and confidence"),
    new_code_cell('''fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
label_distribution(df).plot.bar(ax=axes[0], title="passages per label")
df["confidence"].plot.hist(bins=20, ax=axes[1], title="top-label confidence")
axes[1].axvline(df.loc[df.needs_review, "confidence"].max() if df.needs_review.any() else 0, color="red", linestyle="--")
plt.tight_layout(); plt.show()'''),
    new_markdown_cell("## Browse by label\n\nEntities highlighted with displaCy; fields as a table."),
    new_code_cell('''for label in sorted(df["label"].unique()):
    display(HTML(f"<h3>{label}</h3>"))
    for _, row in df[df.label == label].head(2).iterrows():
        display(HTML(render_passage(row)))'''),
    new_code_cell('''import pandas as pd
exercises = df[df.label == "exercise"]
pd.DataFrame([{"article": r.article_id, **{k: r.fields.get(k) for k in ("name", "sets", "reps", "hold_s", "per_side", "frequency")}}
              for r in exercises.itertuples() if r.fields])'''),
    new_markdown_cell("## The review queue\n\n`needs_review` passages first, then the smallest margin between the two most likely labels."),
    new_code_cell('''queue = review_queue(df, limit=10)
queue[["article_id", "passage", "label", "confidence", "margin", "needs_review", "text"]]'''),
    new_markdown_cell("## What repeats across articles\n\nSite furniture (cookie notices, sign-up prompts, close buttons, "
                      "author bios) repeats across a site's pages. A passage found in several articles that was not "
                      "labelled boilerplate or citation is worth a look; `add_repeats(df)` adds the count to every row."),
    new_code_cell('''repeated = repeated_passages(df, min_articles=2)
repeated[["articles", "rows", "labels", "all_boilerplate_or_citation", "text"]].head(10)'''),
    new_markdown_cell("## Save corrections\n\nIn real use, set each label by reading the passage; here the queue's first rows get the "
                      "reviewer's label from a small dict (an example of the call, not an automatic fix)."),
    new_code_cell('''decisions = {}   # {(article_id, passage): "label"} filled in by the reviewer
for _, row in queue.head(3).iterrows():
    decisions[(row.article_id, row.passage)] = row.label   # replace with the label you read
records = [correction(row, decisions[(row.article_id, row.passage)], reviewer="notebook")
           for _, row in queue.head(3).iterrows()]
save_corrections(records, WORK / "corrections.jsonl", append=False)
print(open(WORK / "corrections.jsonl").read()[:300])'''),
]

retrain = [
    new_markdown_cell("# 2.0 Train on new labels\n\nCorpus plus corrections → a new bundle; compare it with the current "
                      "model on the held-out passages (`corpus/heldout/`), side by side; promote only if better."),
    new_code_cell(SETUP),
    new_code_cell('''import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from pipeline.train import TrainSettings, DEFAULT_CANDIDATES, train_bundle
from pipeline.promote import compare_bundles, promote

corrections = WORK / "corrections.jsonl"
sources = ["corpus"] + ([str(corrections)] if corrections.exists() else [])
meta = train_bundle(sources, WORK / "new-model", TrainSettings(candidates=DEFAULT_CANDIDATES[:1], folds=3), report=print)'''),
    new_code_cell('''cmp = compare_bundles(WORK / "new-model", MODEL, ["corpus/heldout"])
table = pd.DataFrame({"current": cmp["current"]["per_label_f1"], "new": cmp["new"]["per_label_f1"]})
table.loc["macro-F1"] = [cmp["current"]["macro_f1"], cmp["new"]["macro_f1"]]
table'''),
    new_code_cell('''fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
for ax, name in zip(axes, ["current", "new"]):
    m = cmp[name]["confusion"]; labels = cmp[name]["labels"]
    ax.imshow(m, cmap="Blues"); ax.set_title(f"{name}: macro-F1 {cmp[name]['macro_f1']:.3f}")
    ax.set_xticks(range(len(labels)), labels, rotation=45); ax.set_yticks(range(len(labels)), labels)
    for i, row in enumerate(m):
        for j, v in enumerate(row):
            ax.text(j, i, v, ha="center", va="center")
plt.tight_layout(); plt.show()'''),
    new_markdown_cell("Promote only if the new model is at least as good on the held-out passages "
                      "(here into a copy, so running the notebook never changes `models/default`)."),
    new_code_cell('''import shutil
target = WORK / "default-copy"
shutil.rmtree(target, ignore_errors=True); shutil.copytree(MODEL, target)
if cmp["new"]["macro_f1"] >= cmp["current"]["macro_f1"]:
    promote(WORK / "new-model", target, ["corpus/heldout"])
    print("promoted into", target)
else:
    print("kept the current model: the new one scores lower")'''),
]

errors = [
    new_markdown_cell("# 3.0 Error analysis\n\nConfusions on a labelled set, the most confident errors, and scores per "
                      "topic. Point `LABELLED` at any labelled JSONL (here the held-out corpus passages)."),
    new_code_cell(SETUP),
    new_code_cell('''import pandas as pd
import matplotlib.pyplot as plt
from pipeline import load_bundle, evaluate_records, read_labelled
LABELLED = os.environ.get("HAP_LABELLED", "corpus/heldout")
result = evaluate_records(load_bundle(MODEL), read_labelled([LABELLED]), entities=True)
cls = result["classification"]
pd.DataFrame(cls["per_label"]).T'''),
    new_code_cell('''labels = cls["labels"]
conf = pd.DataFrame(cls["confusion"], index=labels, columns=labels)
plt.imshow(conf.values, cmap="Oranges"); plt.xticks(range(len(labels)), labels, rotation=45); plt.yticks(range(len(labels)), labels)
plt.title(f"macro-F1 {cls['macro_f1']:.3f}"); plt.colorbar(); plt.show()
conf'''),
    new_code_cell('''pd.DataFrame(result["confident_errors"])'''),
    new_code_cell('''pd.DataFrame(result.get("by_topic", {})).T.head(15)'''),
    new_markdown_cell("Where the labelled file records how sure its annotators were (`confidence`: \"sure\" or "
                      "\"borderline\"), errors on borderline passages are often a second fair reading, not a "
                      "mistake: compare the two groups before reading individual errors."),
    new_code_cell('''(pd.DataFrame(result["by_annotator_confidence"]).T if "by_annotator_confidence" in result
 else "this set records no annotator confidence")'''),
    new_code_cell('''pd.DataFrame(result["entities"]["per_type"]).T if "entities" in result else "no entity spans in this set"'''),
]

for name, cells in (("1.0-review-classified-dump.ipynb", review), ("2.0-train-on-new-labels.ipynb", retrain),
                    ("3.0-error-analysis.ipynb", errors)):
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, HERE / name)
    print("wrote", name)
