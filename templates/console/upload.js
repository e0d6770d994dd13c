// Upload progress for forms marked data-progress: the same multipart POST the form makes
// without JavaScript, sent with XMLHttpRequest so a <progress> can follow it.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    var bar = form.querySelector("progress");
    if (!bar || !window.FormData) return;
    event.preventDefault();
    var request = new XMLHttpRequest();
    bar.hidden = false;
    request.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded / e.total * 100; };
    request.onload = function () {
      if (request.responseURL && request.status < 400) { window.location.assign(request.responseURL); return; }
      document.open(); document.write(request.responseText); document.close();
    };
    request.onerror = function () { form.submit(); };
    request.open("POST", form.action);
    request.send(new FormData(form));
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  });
});
