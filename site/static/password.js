// Adds a "show" box beside each password field, so that a long passphrase
// can be checked as it is typed (ASVS 2.1.12). Without script the fields
// work as they are.
document.querySelectorAll('input[type="password"]').forEach(function (input) {
  var label = document.createElement('label');
  label.className = 'show-password';
  var box = document.createElement('input');
  box.type = 'checkbox';
  box.addEventListener('change', function () { input.type = box.checked ? 'text' : 'password'; });
  label.appendChild(box);
  label.appendChild(document.createTextNode(' show'));
  input.insertAdjacentElement('afterend', label);
});
