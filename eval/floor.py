"""Regression floors for tests/eval/test_regression.py: answered-and-cited share per gold set.

A floor only ever rises. After a measured improvement, set it just under the new value
(one item below); never lower it to make a failing change pass.
"""

FLOORS = {
    "probe.jsonl": 0.97,        # measured 1.000 (47/47); written blind in session 2, then worked on
    "dev.jsonl": 0.975,         # measured 1.000 (80/80)
    "paraphrase.jsonl": 0.97,   # measured 1.000 (47/47); one item below is 46/47 = 0.979
}
FLOOR = FLOORS["dev.jsonl"]
