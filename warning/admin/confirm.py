"""Final decisions ask before they apply: 不予通过, 内部交流 不采纳, 期刊杂志 不录用.

A decision form that offers a final negative decision inherits
`ConfirmFinalForm`. Choosing that decision without ticking 确认 is a form
error naming the decision and its consequence; the screen (through
`warning/includes/confirm_final.html`) then shows the consequence with the
确认 box, the choice kept, and the reviewer submits again. It is a server-side
step, so it works without JavaScript; Wagtail's action modal renders the
same box as an ordinary required field. See docs/review.md.
"""

from django import forms


class ConfirmFinalForm(forms.Form):
    confirm_final = forms.BooleanField(label="确认", required=False)

    # Set by ask_confirmation(): {"label": "不采纳", "consequence": "…"} once a final decision was chosen.
    confirmation = None

    def ask_confirmation(self, label, consequence):
        """Call from clean() when the chosen decision is final: an error unless 确认 was ticked."""
        self.confirmation = {"label": label, "consequence": consequence}
        if not self.cleaned_data.get("confirm_final"):
            self.add_error("confirm_final", f"“{label}”是最终决定，请勾选“确认{label}”后再提交：{consequence}")
