import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ensureCsrfCookie } from "./api/client";
import { App } from "./app/App";
import "./i18n";

// The CSRF cookie must exist before the first POST; asking once at boot guarantees it.
void ensureCsrfCookie();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
