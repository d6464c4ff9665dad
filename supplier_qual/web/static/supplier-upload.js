// Drag and drop onto the supplier's upload form. Without this script the file picker does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-drop-zone]");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector(".drop-zone");
  var status = form.querySelector(".drop-status");
  if (!input || !zone) { return; }
  zone.classList.add("drop-ready");
  function say(text) { if (status) { status.textContent = text; } }
  function over(event) {
    event.preventDefault();
    zone.classList.add("drop-over");
  }
  zone.addEventListener("dragenter", over);
  zone.addEventListener("dragover", over);
  zone.addEventListener("dragleave", function () { zone.classList.remove("drop-over"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("drop-over");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length === 0) { return; }
    if (files.length > 1) { say("Drop one workbook at a time."); return; }
    input.files = files;
    say("Uploading " + files[0].name + " …");
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
  input.addEventListener("change", function () {
    if (input.files && input.files.length === 1) { say("Chosen: " + input.files[0].name); }
  });
}());
