"""帐号: the name part of Wagtail's account page, in the platform's terms.

Wagtail's own form requires 名, 姓 and 电子邮件. Seeded accounts carry the
whole name in one field and often no address, so the page refused every
save — even a password change — with “(2 errors)”. Here a name (姓 and/or 名)
is enough; 电子邮件 is optional (without it a user is told in 消息中心 only).
姓 comes first, as a Chinese name is written.
"""

from django import forms
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import NameEmailSettingsPanel


class AccountNameForm(NameEmailForm):
    last_name = forms.CharField(label="姓", required=False, max_length=150)
    first_name = forms.CharField(label="名", required=False, max_length=150)
    email = forms.EmailField(
        label="电子邮件",
        required=False,
        help_text="填写后，系统消息也会发送到此邮箱；不填只在消息中心提示。",
        error_messages={"invalid": "请输入有效的电子邮件地址。"},
    )

    field_order = ["last_name", "first_name", "email"]

    def clean(self):
        data = super().clean()
        if not (data.get("first_name", "").strip() or data.get("last_name", "").strip()):
            # On a field: Wagtail's panel template shows field errors only.
            self.add_error("last_name", "请填写姓名（姓或名至少填写一项）。")
        return data


# Wagtail builds this panel itself (AccountView.get_panels); its form class is the extension point.
NameEmailSettingsPanel.form_class = AccountNameForm
