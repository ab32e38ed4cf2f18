"""Guards in front of every view: what a request may carry before any of our code or Wagtail's reads it.

middleware.RequestSizeLimitMiddleware
    refuses a body above the stated limit from its Content-Length, before it
    is read: uploads (multipart) up to REQUEST_MAX_UPLOAD_BYTES, any other
    body (a login, a form, JSON) up to REQUEST_MAX_FORM_BYTES; a clear
    Chinese 413. The front server holds the same limit (docs/security.md).
middleware.AdminInputGuardMiddleware
    answers a malformed POST to a Wagtail admin screen that would otherwise
    fail with a 500 (a chooser's create/ where nothing can be created, the
    external-link chooser without a URL, a page copy without a destination)
    with a Chinese 400.
richtext.SafeDraftailRichTextArea
    the rich text editor of every form: a body that is not the editor's JSON
    is a form error (the field is left empty), not a 500.

The rules and limits are written down in docs/security.md.
"""
