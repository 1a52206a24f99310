import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { i18next } from "../i18n";
import { errorText } from "./errors";

/** The close button of a toast needs a name screen readers can say. */
const closeButtonProps = () => ({ "aria-label": i18next.t("common.close") });

/** Tells the user a change was made (every change shows one). */
export function notifySuccess(message: string): void {
  notifications.show({ message, color: "teal", icon: <IconCheck size={18} aria-hidden />, autoClose: 5000, closeButtonProps: closeButtonProps() });
}

/** Tells the user something worked but found a problem they should look at (a channel check that failed). */
export function notifyWarning(message: string): void {
  notifications.show({ message, color: "orange", icon: <IconAlertTriangle size={18} aria-hidden />, autoClose: 8000, closeButtonProps: closeButtonProps() });
}

/** Tells the user a change failed, in their language. */
export function notifyError(t: TFunction, error: unknown): void {
  notifications.show({
    title: t("common.somethingWentWrong"),
    message: errorText(t, error),
    color: "red",
    icon: <IconAlertTriangle size={18} aria-hidden />,
    autoClose: 8000,
    closeButtonProps: closeButtonProps(),
  });
}
