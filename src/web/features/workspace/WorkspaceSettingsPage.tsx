import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation } from "react-router-dom";
import { api } from "../../api/client";
import type { Workspace } from "../../api/types";
import { ME_KEY, useActiveMe, useCan } from "../../app/session";
import { useSwitchWorkspace } from "../../app/WorkspaceSwitcher";
import { errorText, fieldError, hasOnlyFieldErrors } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { ExactTime } from "../../components/RelativeTime";
import { requiredText } from "../../components/validation";
import { useUpdateWorkspace } from "./hooks";

/** Creates a new brand (workspace) owned by the person, then offers to switch to it. */
export function CreateWorkspaceForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const switchWorkspace = useSwitchWorkspace();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [created, setCreated] = useState<Workspace | null>(null);
  const create = useMutation({
    mutationFn: () => api<Workspace>("POST", "/workspaces", { name: name.trim() }),
    onSuccess: (workspace) => {
      setCreated(workspace);
      setName("");
      notifySuccess(t("workspace.createdToast", { name: workspace.name }));
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = requiredText(t, name);
    setProblem(error);
    if (!error) create.mutate();
  };
  return (
    <Card withBorder padding="lg" component="section" id="new-brand" aria-labelledby="new-brand-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="new-brand-heading">
            {t("workspace.newBrand")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("workspace.newBrandIntro")}
          </Text>
          {created && (
            <Alert color="teal" title={t("workspace.createdTitle", { name: created.name })}>
              <Button size="xs" mt="xs" onClick={() => switchWorkspace.mutate(created.id)} loading={switchWorkspace.isPending}>
                {t("workspace.switchTo", { name: created.name })}
              </Button>
            </Alert>
          )}
          {create.error && !hasOnlyFieldErrors(create.error, ["name"]) && (
            <Alert color="red" role="alert">
              {errorText(t, create.error)}
            </Alert>
          )}
          <TextInput
            label={t("workspace.brandName")}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={problem ?? fieldError(t, create.error, "name")}
            required
            maw={420}
          />
          <Group>
            <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={create.isPending}>
              {t("workspace.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function WorkspaceDetails({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation();
  const canUpdate = useCan("workspace.update");
  const update = useUpdateWorkspace();
  const [name, setName] = useState(workspace.name);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => setName(workspace.name), [workspace.name]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const error = requiredText(t, name);
    setProblem(error);
    if (!error) update.mutate({ name: name.trim() }, { onSuccess: () => notifySuccess(t("workspace.saved")) });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="workspace-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} fz="h4" id="workspace-heading">
            {t("workspace.details")}
          </Title>
          {update.error && !hasOnlyFieldErrors(update.error, ["name"]) && (
            <Alert color="red" role="alert">
              {errorText(t, update.error)}
            </Alert>
          )}
          <TextInput
            label={t("workspace.name")}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            readOnly={!canUpdate}
            description={canUpdate ? undefined : t("workspace.readOnly")}
            error={problem ?? fieldError(t, update.error, "name")}
            required
            maw={420}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} maw={640}>
            <div>
              <Text size="sm" c="dimmed">
                {t("workspace.address")}
              </Text>
              <Text size="sm" className="ltr-value" ff="monospace">
                {workspace.slug}
              </Text>
            </div>
            <div>
              <Text size="sm" c="dimmed">
                {t("workspace.createdAt")}
              </Text>
              <Text size="sm">
                <ExactTime value={workspace.createdAt} />
              </Text>
            </div>
          </SimpleGrid>
          {canUpdate && (
            <Group>
              <Button type="submit" loading={update.isPending} disabled={name.trim() === workspace.name}>
                {t("common.save")}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

/** /settings/workspace: the brand's name and details, and making a new brand. */
export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const me = useActiveMe();
  const location = useLocation();
  useEffect(() => {
    if (location.hash === "#new-brand") document.getElementById("new-brand")?.scrollIntoView({ behavior: "smooth" });
  }, [location.hash]);
  return (
    <Page title={t("workspace.title")} description={t("workspace.description")}>
      {me.workspace && <WorkspaceDetails workspace={me.workspace} />}
      <CreateWorkspaceForm />
    </Page>
  );
}
