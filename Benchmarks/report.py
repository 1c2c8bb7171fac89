"""The results table on standard output, and the same figures as JSON."""
import json


def duration(seconds):
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def size(count):
    return f"{count / 1e6:.1f} MB"


def verdict(met):
    return "" if met is None else ("met" if met else "NOT MET")


def table(rows):
    """rows: dicts with case, what, median, min, max, ratio (text), goal (text), met (bool/None).
    A row that measures something other than time (peak memory) has its figure as text instead."""
    header = ("case", "what", "measured", "min", "max", "ratio (same run)", "goal", "verdict")
    lines = [header] + [
        (row["case"], row["what"], row.get("figure") or duration(row.get("median")), duration(row.get("min")),
         duration(row.get("max")),
         row.get("ratio", ""), row.get("goal", ""), verdict(row.get("met")))
        for row in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    numeric = {2, 3, 4}
    text = []
    for number, line in enumerate(lines):
        cells = [cell.rjust(width) if column in numeric else cell.ljust(width)
                 for column, (cell, width) in enumerate(zip(line, widths))]
        text.append("  ".join(cells).rstrip())
        if number == 0:
            text.append("  ".join("-" * width for width in widths))
    return "\n".join(text)


def write_json(path, rows, context):
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"context": context, "rows": rows}, file, indent=2)
        file.write("\n")
