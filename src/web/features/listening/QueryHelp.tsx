import { Accordion, Code, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

const EXAMPLES: Array<[string, string]> = [
  ["emberoak coffee", "and"],
  ["emberoak OR \"ember oak\"", "or"],
  ["\"cold brew\"", "phrase"],
  ["#emberoak @emberoak", "tags"],
  ["refund* -decaf", "prefixNot"],
  ["(late OR missing) AND order", "groups"],
  ["delivery NEAR/3 late", "near"],
  ["emberoak lang:de network:bluesky", "fields"],
  ["author:tom_hargreaves", "author"],
];

/** A short reference of the query language, with examples a listening analyst recognises. */
export function QueryHelp() {
  const { t } = useTranslation();
  return (
    <Accordion variant="contained">
      <Accordion.Item value="help">
        <Accordion.Control>{t("listening.help.title")}</Accordion.Control>
        <Accordion.Panel>
          <Text size="sm" mb="xs">
            {t("listening.help.intro")}
          </Text>
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {EXAMPLES.map(([query, key]) => (
                <Table.Tr key={key}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    <Code dir="ltr">{query}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`listening.help.${key}`)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" c="dimmed" mt="xs">
            {t("listening.help.matching")}
          </Text>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
