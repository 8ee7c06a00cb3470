#!/usr/bin/python3
"""The host tools' unittest modules as TAP for make test: one line per case,
a failure's traceback as '#' lines. Use from a test module:

    if __name__ == "__main__":
        tap_unittest.main("name")    # --tap: TAP; otherwise unittest.main()
"""
import sys
import unittest


def run(module, prefix):
    """Every case of module; prints TAP; 0 if all passed, else 1."""
    flat = [c for suite in unittest.defaultTestLoader.loadTestsFromModule(module) for c in suite]
    print("TAP version 13")
    print(f"1..{len(flat)}")
    failed = 0
    for n, case in enumerate(flat, 1):
        result = unittest.TestResult()
        case.run(result)
        ok = result.wasSuccessful()
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {prefix}.{case.id().rsplit('.', 1)[-1]}")
        for _, trace in result.failures + result.errors:
            for line in trace.splitlines():
                print("# " + line)
    return 1 if failed else 0


def main(prefix):
    """The calling module's __main__: TAP with --tap, else unittest's runner."""
    module = sys.modules["__main__"]
    if "--tap" in sys.argv:
        sys.exit(run(module, prefix))
    unittest.main(module=module)
