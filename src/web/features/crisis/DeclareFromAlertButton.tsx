import { Button } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { DeclareDialog } from "./DeclareDialog";

/** On a listening alert's page: declare a crisis from it (scenario, severity and plan proposed from the alert). */
export function DeclareFromAlertButton({ alert }: { alert: { id: string; title: string } }) {
  const { t } = useTranslation();
  const canDeclare = useCan("crisis.declare");
  const [open, setOpen] = useState(false);
  if (!canDeclare) return null;
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>
        {t("crisis.declareFromAlert")}
      </Button>
      {open && <DeclareDialog opened onClose={() => setOpen(false)} alert={alert} />}
    </>
  );
}
