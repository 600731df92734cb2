"""The tests of a failed `cargo test` run under Wine that may be run once more.

Reads the run's output (the file named first) and prints, one per line, the tests that
failed only because a program ended with status 1 and printed nothing at all: what Wine
itself now and then does under load before certkit runs (certkit always says why it fails).
If any failed test failed otherwise, prints nothing: the run stands as failed.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
blocks = re.split(r"^---- (\S+) stdout ----$", text, flags=re.M)[1:]
# The shape tests/all/common.rs's Run::ok and code_is give a failure (an empty stdout and
# stderr, then the exit code as `left`), and nothing else in the block.
# A run of certkit itself (Sandbox::certkit names it "certkit ARGS"), not of a peer (openssl, sh).
# Or, in a test that expects exit 1 and then reads the JSON report, the shape Run::json gives
# an empty stdout after that exit 1 (and an empty stderr).
EMPTY_EXIT_1 = re.compile(
    r"failed: certkit [^\n]* failed\n--- stdout\n\n--- stderr\n\n  left: 1\n right: 0\n"
    r"|\ncertkit [^\n]*: stdout is not JSON \(EOF while parsing a value at line 1 column 0; exit 1\)\n"
    r"--- stdout\n\n--- stderr\n\n"
)
names, others = [], []
for name, block in zip(blocks[0::2], blocks[1::2]):
    block = block.split("\nfailures:\n")[0]
    (names if EMPTY_EXIT_1.search(block) else others).append(name)
if names and not others:
    print("\n".join(names))
