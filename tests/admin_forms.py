"""Driving Wagtail's admin forms in tests: what a browser would submit, read from the screen's
HTML, and another request served while a screen is between two of its writes."""

import contextlib

from bs4 import BeautifulSoup
from django.db.models.signals import post_save


def form_data(html, form_id="w-editor-form"):
    """{name: value or [values]} of the form's fields as rendered (ticked boxes, chosen options)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") == "submit" or field.has_attr("disabled"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.name == "select":
            chosen = [o.get("value") for o in field.find_all("option") if o.has_attr("selected")]
            if chosen:
                data[name] = chosen
        elif field.name == "textarea":
            data[name] = field.text
        else:
            data[name] = field.get("value", "")
    return data


@contextlib.contextmanager
def read_between(model, read):
    """Another request served while a screen is between its writes: `read()` runs just after
    `model` is saved (Wagtail's group and collection screens write what follows without a signal)."""

    def reader(**kwargs):
        read()

    post_save.connect(reader, sender=model, weak=False, dispatch_uid="tests_admin_forms_reader")
    try:
        yield
    finally:
        post_save.disconnect(sender=model, dispatch_uid="tests_admin_forms_reader")
