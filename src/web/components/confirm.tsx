import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

type ConfirmOptions = {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for actions that take something away. */
  danger?: boolean;
};

type Ask = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Ask | null>(null);

/** Hosts the one confirmation dialog of the app; see useConfirm. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const ask = useCallback<Ask>((next) => {
    resolver.current?.(false);
    setOptions(next);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const close = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOptions(null);
  };

  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      <Modal opened={options !== null} onClose={() => close(false)} title={options?.title} centered>
        {options && (
          <Stack>
            {typeof options.message === "string" ? <Text>{options.message}</Text> : options.message}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => close(false)}>
                {t("common.cancel")}
              </Button>
              <Button color={options.danger ? "red" : undefined} onClick={() => close(true)} data-autofocus>
                {options.confirmLabel}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </ConfirmContext.Provider>
  );
}

/** Asks the user to confirm what an action will do; resolves to true when they confirm. */
export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error("useConfirm needs <ConfirmProvider>");
  return ask;
}

/**
 * The small red button of a table row that takes something away (remove, revoke, end, disconnect): it asks
 * first, with the danger styling, and runs `onConfirmed` only on yes.
 */
export function ConfirmedRowAction(props: {
  label: string;
  ariaLabel: string;
  confirm: Omit<ConfirmOptions, "danger">;
  onConfirmed: () => void;
  loading?: boolean;
}) {
  const confirm = useConfirm();
  return (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-label={props.ariaLabel}
      loading={props.loading}
      onClick={async () => {
        if (await confirm({ ...props.confirm, danger: true })) props.onConfirmed();
      }}
    >
      {props.label}
    </Button>
  );
}
