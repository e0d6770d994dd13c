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
    // The answer (after the redirect, with its message) replaces this page, as a normal
    // form submission would: loading the address again would lose the one-time message.
    request.onload = function () {
      if (request.responseURL) history.replaceState(null, "", request.responseURL);
      document.open(); document.write(request.responseText); document.close();
    };
    request.onerror = function () { form.submit(); };
    request.open("POST", form.action);
    request.send(new FormData(form));
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  });
});
