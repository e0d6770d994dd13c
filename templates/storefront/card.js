(function () {
  var box = document.getElementById("card");
  if (!box || typeof Stripe !== "function") { return; }
  var stripe = Stripe(box.dataset.key);
  var elements = stripe.elements({clientSecret: box.dataset.secret, locale: document.documentElement.lang});
  elements.create("payment").mount("#card-element");
  var status = document.getElementById("card-status");
  document.getElementById("card-form").addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = box.dataset.wait;
    stripe.confirmPayment({elements: elements, confirmParams: {return_url: box.dataset.returnUrl}, redirect: "if_required"})
      .then(function (result) {
        if (result.error) { status.textContent = result.error.message || box.dataset.failed; return; }
        window.location.assign(box.dataset.returnUrl);
      });
  });
  document.getElementById("card-pay").hidden = false;
})();
