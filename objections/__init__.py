"""Objections, appeals and tip-offs (2019 No. 35, art. 17; 2016 No. 33, arts. 13 and 22).

Anyone objects to an item the portal shows or applies through one public form; the item is
marked "异议处理中" and every punishment resting on it is suspended at once, through
discipline's services; the holder department decides within its clock (four eyes), and the
outcome corrects or revokes the item and ends what rested on it, or restores every effect.
Tip-offs report an entity's dishonest conduct to the competent department, with the reporter
sealed and shown only to the handler.
"""
