"""Form fields the standard Django ones do not cover: the GOV.UK date input, phone numbers, repeating groups.

Every field here turns any input into a valid value or a ValidationError with GOV.UK wording; nothing
else escapes (tests/advice_forms/test_fuzz.py feeds them arbitrary input).
"""

import datetime
import decimal
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format

DATE_PARTS = ("day", "month", "year")
ROW_ACTION = "row-action"  # name of the "Add another" / "Remove" submit buttons


def format_date(value):
    """3 March 2026: GOV.UK's date style, used on check-answers pages and in PDFs."""
    return date_format(value, "j F Y")


class GovukDateWidget(forms.Widget):
    """Three boxes, named <name>-day, <name>-month and <name>-year as in GOV.UK's date input."""

    def value_from_datadict(self, data, files, name):
        return {part: data.get(f"{name}-{part}", "") for part in DATE_PARTS}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in DATE_PARTS)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages for each way it can be wrong."""

    widget = GovukDateWidget

    def __init__(self, *, wording, earliest=None, latest=None, not_in_future=False, **kwargs):
        self.wording = wording
        self.earliest, self.latest, self.not_in_future = earliest, latest, not_in_future
        self.error_parts = ()
        super().__init__(**kwargs)

    @property
    def subject(self):
        return "Date" if self.wording.is_question else self.wording.subject

    def prepare_value(self, value):
        """Parts for the three boxes, from a date, an ISO string (saved answers) or the posted parts."""
        if isinstance(value, dict):
            return {part: str(value.get(part, "") or "") for part in DATE_PARTS}
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return dict.fromkeys(DATE_PARTS, "")
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return dict.fromkeys(DATE_PARTS, "")

    def _fail(self, message, parts=DATE_PARTS):
        self.error_parts = tuple(parts)
        raise ValidationError(message, code="invalid")

    def clean(self, value):
        self.error_parts = ()
        parts = self.prepare_value(value)
        parts = {name: str(text).strip() for name, text in parts.items()}
        missing = [name for name in DATE_PARTS if not parts[name]]
        if len(missing) == 3:
            if self.required:
                self._fail(self.wording.custom_required or f"Enter {self._the()}", parts=("day",))
            return None
        if missing:
            self._fail(f"{self.subject} must include a {' and '.join(missing)}", parts=missing)
        for name, pattern in (("day", r"[0-9]{1,2}"), ("month", r"[0-9]{1,2}"), ("year", r"[0-9]+")):
            if not re.fullmatch(pattern, parts[name], flags=re.ASCII):
                self._fail(f"{self.subject} must be a real date", parts=(name,))
        if len(parts["year"]) != 4:
            self._fail("Year must include 4 numbers", parts=("year",))
        try:
            value = datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self._fail(f"{self.subject} must be a real date")
        if self.not_in_future and value > datetime.date.today():
            self._fail(f"{self.subject} must be today or in the past")
        if self.earliest and value < self.earliest:
            self._fail(f"{self.subject} must be the same as or after {format_date(self.earliest)}")
        if self.latest and value > self.latest:
            self._fail(f"{self.subject} must be the same as or before {format_date(self.latest)}")
        return value

    def _the(self):
        return "a date" if self.wording.is_question else self.wording.the_noun


PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-]+(?:\s*(?:ext|x)\.?\s*[0-9]{1,6})?$", re.IGNORECASE | re.ASCII)


def validate_phone(value):
    digits = re.sub(r"[^0-9]", "", value.split("x")[0].split("X")[0], flags=re.ASCII)
    if not PHONE_CHARACTERS.match(value) or not 10 <= len(digits) <= 15:
        raise ValidationError(
            "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192", code="invalid"
        )


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.validators.append(validate_phone)


MONEY_PATTERN = re.compile(r"^-?£?-?[0-9][0-9,]*(\.[0-9]{1,2})?$", re.ASCII)
LARGEST_MONEY = decimal.Decimal("9999999999.99")


class MoneyField(forms.Field):
    """Pounds and pence: "£1,900.50", "1900.5" or "1900" -> Decimal("1900.50"); stored as "1900.50".

    Kept small on purpose: issue 13 also adds a money question kind; one of the two becomes the other's field.
    """

    def __init__(self, *, subject="Amount", **kwargs):
        self.subject = subject
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str("" if value is None else value).strip().replace(" ", "")[:40]
        if text in self.empty_values:
            return None
        if not MONEY_PATTERN.match(text) or text.count("-") > 1:
            raise ValidationError(f"{self.subject} must be an amount of money, like £1,900.50", code="invalid")
        amount = decimal.Decimal(text.replace("£", "").replace(",", ""))
        if abs(amount) > LARGEST_MONEY:
            raise ValidationError(f"{self.subject} must be £9,999,999,999.99 or less", code="invalid")
        return amount.quantize(decimal.Decimal("0.01"))


def format_money(value):
    """Decimal or string -> "£1,900.50" (negative: "-£20.00")."""
    amount = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


# --- repeating groups -----------------------------------------------------------------------------


class RepeatingGroupWidget(forms.Widget):
    """Rows of sub-fields named <name>-<row>-<sub>, a <name>-rows count, and no-JS "Add another" / "Remove".

    The buttons are submit buttons named `row-action` with values `add:<name>` and `remove:<name>:<row>`;
    the posted form re-renders with one more empty row, or one fewer, and nothing typed is lost.
    """

    def __init__(self, subfield_names=(), max_rows=20, attrs=None, date_subfields=()):
        self.subfield_names = list(subfield_names)
        self.date_subfields = set(date_subfields)
        self.max_rows = max_rows
        super().__init__(attrs)

    def _cell(self, data, prefix, sub):
        if sub in self.date_subfields:  # a GOV.UK date input in a row: three boxes
            return {part: str(data.get(f"{prefix}-{sub}-{part}", "")) for part in DATE_PARTS}
        return str(data.get(f"{prefix}-{sub}", ""))

    def value_from_datadict(self, data, files, name):
        try:
            count = int(str(data.get(f"{name}-rows", "1"))[:4])
        except ValueError:
            count = 1
        count = max(0, min(count, self.max_rows))
        rows = [{sub: self._cell(data, f"{name}-{i}", sub) for sub in self.subfield_names} for i in range(count)]
        action = str(data.get(ROW_ACTION, ""))
        if action == f"add:{name}" and len(rows) < self.max_rows:
            rows.append({sub: self._cell({}, "", sub) for sub in self.subfield_names})
        elif action.startswith(f"remove:{name}:"):
            try:
                index = int(action.rsplit(":", 1)[1][:4])
            except ValueError:
                index = -1
            if 0 <= index < len(rows):
                rows.pop(index)
        return rows

    def raw_cells(self, name, rows):
        """{posted name: value} for rows, as the browser posts them (a draft keeps them so)."""
        out = {f"{name}-rows": str(len(rows))}
        for index, row in enumerate(rows):
            for sub, value in row.items():
                if isinstance(value, dict):
                    out.update({f"{name}-{index}-{sub}-{part}": str(value.get(part, "")) for part in DATE_PARTS})
                else:
                    out[f"{name}-{index}-{sub}"] = value
        return out

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data


def row_is_empty(row):
    values = []
    for value in row.values():
        values.extend(value.values() if isinstance(value, dict) else [value])
    return not any(str(value).strip() for value in values if value is not None)


class RepeatingGroupField(forms.Field):
    """A list of rows, each a dict of sub-field values; empty rows are dropped, the rest validated per sub-field.

    `subfields` is an ordered dict of name -> Django form field (labels used in the template). Errors are
    kept per row in `row_errors` ({row: {sub: message}}) for inline display; the same messages, with
    the row named ("Select a Team for outcome 2"), form the field's ValidationError for the error summary.
    """

    widget = RepeatingGroupWidget

    def __init__(self, *, subfields, item_name, wording, max_rows=20, min_rows=None, **kwargs):
        self.subfields = subfields
        self.item_name = item_name
        self.wording = wording
        self.max_rows = max_rows
        self.min_rows = min_rows
        self.row_errors = {}
        self.group_errors = []
        dates = [name for name, field in subfields.items() if isinstance(field, GovukDateField)]
        kwargs["widget"] = RepeatingGroupWidget(subfield_names=list(subfields), max_rows=max_rows, date_subfields=dates)
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.subfields = {name: field.__deepcopy__(memo) for name, field in self.subfields.items()}
        result.row_errors, result.group_errors = {}, []
        return result

    def prepare_value(self, value):
        rows = []
        for row in value or []:
            if isinstance(row, dict):
                rows.append({sub: self._prepare_cell(sub, row.get(sub)) for sub in self.subfields})
        return rows or [{sub: self._prepare_cell(sub, None) for sub in self.subfields}]

    def _prepare_cell(self, sub, value):
        field = self.subfields[sub]
        if isinstance(field, GovukDateField):
            return field.prepare_value(value)
        return "" if value is None else str(value)

    def clean(self, value):
        self.row_errors, self.group_errors = {}, []
        rows = value if isinstance(value, list) else []
        cleaned, messages = [], []
        for index, row in enumerate(rows):
            if not isinstance(row, dict) or row_is_empty(row):
                continue
            out = {}
            for sub, field in self.subfields.items():
                try:
                    out[sub] = field.clean(row.get(sub, ""))
                except ValidationError as error:
                    message = f"{error.messages[0]} for {self.item_name} {index + 1}"
                    self.row_errors.setdefault(index, {})[sub] = message
                    messages.append(message)
            cleaned.append(out)
        if messages:
            raise ValidationError(messages, code="rows")
        if not cleaned and self.required:
            message = self.wording.custom_required or f"Add at least one {self.item_name}"
            self.group_errors = [message]
            raise ValidationError(message, code="required")
        if self.min_rows and cleaned and len(cleaned) < self.min_rows:
            message = f"Add at least {self.min_rows} {self.item_name}s"
            self.group_errors = [message]
            raise ValidationError(message, code="min_rows")
        if len(cleaned) > self.max_rows:
            message = f"You can add up to {self.max_rows} {self.item_name}s"
            self.group_errors = [message]
            raise ValidationError(message, code="max_rows")
        return cleaned
