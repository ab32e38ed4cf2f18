/*
 * Review screens: small, dependency-free helpers (no network).
 *
 * - 请选择意见: choosing a preset opinion copies its text into the 审核意见
 *   textarea of the same form. Works on our review screen and inside
 *   Wagtail's action modal (listening on document catches modals added later).
 * - 特大号 / 大号 / 中号: buttons with data-review-text-size switch the size of
 *   the report text they point at (data-review-text-target = element id).
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[data-review-opinion="select"]')) return;
    if (!select.value || !select.form) return;
    var comment = select.form.querySelector('[data-review-opinion="comment"]');
    if (!comment) return;
    comment.value = select.value;
    comment.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-review-text-size]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-review-text-target"));
    if (!target) return;
    event.preventDefault();
    target.setAttribute("data-text-size", button.getAttribute("data-review-text-size"));
    document.querySelectorAll("[data-review-text-size]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  });
})();
