"""The REST client against the server: paging and filters, version checks on PUT and PATCH, deletes, errors."""
from dartmart import DartApiError, VersionConflict

from .support import ServerTest, unique


class ClientTest(ServerTest):
    def event(self):
        return self.admin.events.create({"name": unique("ev"), "description": "first"})

    def test_a_put_with_a_stale_version_is_refused_and_changes_nothing(self):
        read = self.event()
        read["data"]["description"] = "second"
        updated = self.admin.events.put(read)
        self.assertEqual(read["version_id"] + 1, updated["version_id"])
        read["data"]["description"] = "lost update"
        with self.assertRaises(VersionConflict) as caught:
            self.admin.events.put(read)
        self.assertEqual(409, caught.exception.status)
        self.assertTrue(caught.exception.error_message)
        self.assertEqual("second", self.admin.events.get(read["id"])["data"]["description"])

    def test_a_patch_whose_test_fails_is_a_conflict_and_update_retries_on_one(self):
        event = self.event()
        with self.assertRaises(VersionConflict):
            self.admin.events.patch(event["id"], [{"op": "test", "path": "/data/description", "value": "other"},
                                                  {"op": "replace", "path": "/data/description", "value": "x"}])
        patched = self.admin.events.patch(event["id"], [{"op": "replace", "path": "/data/description",
                                                          "value": "patched"}])
        self.assertEqual("patched", patched["data"]["description"])
        changes = []

        def change(data):
            if not changes:   # someone else writes between the first read and its PUT
                self.admin.events.patch(event["id"], [{"op": "add", "path": "/data/tags", "value": ["x"]}])
            changes.append(data["description"])
            data["description"] = "updated"

        self.assertEqual("updated", self.admin.events.update(event["id"], change)["data"]["description"])
        self.assertEqual(2, len(changes), "the conflict was retried once")

    def test_lists_filter_and_page(self):
        prefix = unique("paged")
        for i in range(5):
            self.admin.events.create({"name": "%s_%d" % (prefix, i)})
        page = self.admin.events.list(filters=["name ~ " + prefix], order_by=["name DESC"], limit=2, offset=1)
        self.assertEqual(["%s_3" % prefix, "%s_2" % prefix], [e["data"]["name"] for e in page])
        self.assertEqual(5, page.total)
        self.assertEqual(5, len(list(self.admin.events.iterate(filters=["name ~ " + prefix], page_size=2))))

    def test_a_deleted_entity_is_gone_and_errors_carry_the_servers_message(self):
        event = self.event()
        self.admin.events.delete(event["id"])
        with self.assertRaises(DartApiError) as caught:
            self.admin.events.get(event["id"])
        self.assertEqual(404, caught.exception.status)
        with self.assertRaises(DartApiError) as caught:
            self.admin.events.list(filters=["name ?? x"])
        self.assertEqual(400, caught.exception.status)
        self.assertIn("name ?? x", caught.exception.error_message)
