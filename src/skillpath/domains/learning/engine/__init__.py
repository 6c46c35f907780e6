"""Pure learning-path planning: the exact planner (`planner.plan_path`), the greedy reference
(`greedy.greedy_plan`), the pedagogy-ordered weekly schedule (`schedule`), and their inputs and
outputs (`model`). The model, its proofs and its limits are in `planner.py` and docs/planner.md.
"""
