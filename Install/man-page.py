#!/usr/bin/env python3
"""Writes nexsh's man page (man(7) macros) to stdout from the command tree the binary describes:
`nexsh --experimental-dump-help`, ArgumentParser's ToolInfo JSON, read on stdin.

Why not ArgumentParser's own `generate-manual` plugin: it runs offline here, but it builds the
whole package itself, in a configuration of its own, and documents that build rather than the
static binary being installed; it needs SwiftPM, whose lock on .build a test running under
`swift test` cannot take; and its tool is not a product, so it cannot be built on its own. Read
from the installed binary, the page always describes the commands that binary has.
"""
import json
import sys


def escape(text):
    """Text as roff shows it: backslashes doubled, a leading . or ' kept from reading as a macro."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in text.split("\n"))


def spelling(argument):
    """How an argument is written: `-o, --output <file>`, or `<script> ...` for a positional."""
    value = f"<{argument.get('valueName', 'value')}>"
    if argument["kind"] == "positional":
        words = value
    else:
        names = [("-" if name["kind"] == "short" else "--") + name["name"] for name in argument.get("names", [])]
        words = ", ".join(names) + (f" {value}" if argument["kind"] == "option" else "")
    return words + (" ..." if argument.get("isRepeating") else "")


def describe(argument):
    text = argument.get("abstract", "")
    if argument.get("discussion"):
        text += "\n" + argument["discussion"]
    if argument.get("allValues") and "values:" not in text:
        text += f" (values: {', '.join(argument['allValues'])})"
    return text


def command_section(command, path):
    """One command's section: its name, what it does, its arguments; then its subcommands'."""
    if not command.get("shouldDisplay", True):
        return []
    # The root's abstract is the NAME line already.
    lines = [f".SS {escape(' '.join(path))}"] if len(path) > 1 else []
    paragraphs = [command.get("abstract")] if len(path) > 1 else []
    for paragraph in filter(None, paragraphs + [command.get("discussion")]):
        lines += [".PP", escape(paragraph)]
    for argument in command.get("arguments", []):
        if argument.get("shouldDisplay", True):
            lines += [".TP", f"\\fB{escape(spelling(argument))}\\fR", escape(describe(argument))]
    for subcommand in command.get("subcommands", []):
        lines += command_section(subcommand, path + [subcommand["commandName"]])
    return lines


def man_page(tool):
    root = tool["command"]
    name = root["commandName"]
    lines = [
        # man-db passes a page marked so through preconv: the help text has …, — and ·.
        ".\\\" -*- coding: utf-8 -*-",
        f'.TH {name.upper()} 1 "" "{name}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {escape(root.get('abstract', ''))}",
        ".SH SYNOPSIS",
        f"\\fB{name}\\fR [\\fIsubcommand\\fR] [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
    ]
    lines += command_section(dict(root, subcommands=[]), [name])
    subcommands = [command for command in root.get("subcommands", []) if command.get("shouldDisplay", True)]
    if subcommands:
        lines.append(".SH COMMANDS")
        for command in subcommands:
            lines += command_section(command, [name, command["commandName"]])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(man_page(json.load(sys.stdin)))
