"""The unified social credit code (统一社会信用代码) of GB 32100-2015, check digit included.

One validator for every service that takes one: intake's register of units and finance's
contractors refuse the same codes, naming the check character the standard gives."""

from typing import Annotated

from pydantic import AfterValidator

# The 31 characters the standard uses, in the order of their values 0..30 (no I, O, Z, S, V).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Weights of positions 1..17: 3^(i-1) mod 31.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character for the first 17: 31 - (weighted sum mod 31), with 31 written as 0."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why a code is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return "must be 18 characters (GB 32100-2015)"
    bad = sorted({c for c in code if c not in VALUE})
    if bad:
        return f"characters not allowed by GB 32100-2015: {''.join(bad)} (no I, O, Z, S, V)"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the administrative division code (digits)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, GB 32100-2015 gives {expected}"
    return None


def with_check_character(first17: str) -> str:
    """A whole code from its first 17 characters (test data, examples)."""
    return first17 + check_character(first17)


def _credit_code(value: str) -> str:
    value = value.strip().upper()
    if problem := credit_code_problem(value):
        raise ValueError(f"unified social credit code {problem}")
    return value


# A body field holding a unified social credit code: trimmed, upper-cased, and a 422 naming the
# field and the problem (a wrong check character names the one the standard gives).
CreditCode = Annotated[str, AfterValidator(_credit_code)]
