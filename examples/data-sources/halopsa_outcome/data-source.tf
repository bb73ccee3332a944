# An action an integration presses by id.
data "halopsa_outcome" "private_note" {
  name = "Private Note"
}

output "private_note_action_id" {
  value = data.halopsa_outcome.private_note.id
}
