#!/usr/bin/env python3
"""Write scrubber/data/prefilter_plans.json, the prefilter's reading of the built-in rules' patterns
(see scrubber/plans.py), after rules were added or edited:

    python benchmarks/write_prefilter_plans.py

tests/test_plans.py fails until the file matches the rules again.
"""
from scrubber import plans

if __name__ == "__main__":
    print(f"{plans.PLANS_PATH}: {plans.write()} readings")
